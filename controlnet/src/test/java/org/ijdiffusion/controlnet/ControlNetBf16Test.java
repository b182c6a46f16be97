package org.ijdiffusion.controlnet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.nn.Agreement;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** The tiny ControlNet in bf16 against itself in fp32, on the component golden's inputs. */
class ControlNetBf16Test {
    @Test
    void residualsAgreeWithFloat32() {
        assumeTrue(CpuFeatures.current().hasNativeBf16(),
                "skipped: this CPU has no native bfloat16 (" + CpuFeatures.current().bf16Summary() + ")");
        try (ControlNetCheckpoint ckpt = ControlNetCheckpoint.open(TestData.model("tiny-controlnet.safetensors"));
                NDManager m = NDManager.newBaseManager();
                SafetensorsFile g = SafetensorsFile.open(TestData.golden().resolve("components/controlnet.safetensors"))) {
            ControlNet fp32 = ControlNet.load(ckpt.weights(), m);
            ControlNet bf16 = ControlNet.load(ckpt.weights(), m, Compute.of(Precision.BF16));
            NDArray sample = g.toFloat32("sample", m);
            NDArray ctx = g.toFloat32("encoder_hidden_states", m);
            NDArray hint = g.toFloat32("controlnet_cond", m);
            float t = g.floats("timestep")[0];
            NDList ref = fp32.forward(sample, t, ctx, hint);
            NDList out = bf16.forward(sample, t, ctx, hint);
            Compute bf = Compute.of(Precision.BF16);
            double worstCos = 1;
            double worstL2 = 0;
            for (int i = 0; i < ref.size(); i++) {
                // the residuals come out in the ControlNet's precision: read them as float32
                Agreement a = Agreement.of(ref.get(i).toFloatArray(), bf.toFloat32(out.get(i)).toFloatArray());
                worstCos = Math.min(worstCos, a.cosine());
                worstL2 = Math.max(worstL2, a.relativeL2());
            }
            System.out.printf("bf16 vs fp32, tiny ControlNet, 13 residuals: worst relative L2 %.2e, worst cosine %.6f%n",
                    worstL2, worstCos);
            assertTrue(worstCos >= 0.999, "worst cosine " + worstCos);
        }
    }
}
