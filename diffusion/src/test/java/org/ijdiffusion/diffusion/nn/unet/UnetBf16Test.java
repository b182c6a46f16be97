package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.nn.Agreement;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.ijdiffusion.diffusion.nn.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UNet in bfloat16 against the same UNet in float32 on the tiny fixtures' golden inputs
 * (and, printed, against diffusers' float32 output). Skipped on a CPU without native bfloat16.
 */
class UnetBf16Test {
    @BeforeAll
    static void needsBf16() {
        assumeTrue(CpuFeatures.current().hasNativeBf16(),
                "skipped: this CPU has no native bfloat16 (" + CpuFeatures.current().bf16Summary() + ")");
    }

    private static Agreement compare(String what, NDArray fp32, NDArray bf16, NDArray golden) {
        Agreement a = Agreement.of(fp32.toFloatArray(), bf16.toFloatArray());
        System.out.println("bf16 vs fp32, " + what + ": " + a + "; vs diffusers fp32: "
                + Agreement.of(golden.toFloatArray(), bf16.toFloatArray()));
        return a;
    }

    @Test
    void unetOutputAgreesWithFloat32() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g = UnetFixtures.golden("unet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(model), UnetConfig.SD1_HEADS);
            Unet fp32 = Unet.load(UnetFixtures.weights(model), c, weights);
            Unet bf16 = Unet.load(UnetFixtures.weights(model), c, weights, Compute.of(Precision.BF16));
            for (String s : new String[] {"", "_b"}) {
                NDArray x = g.toFloat32("sample" + s, m);
                float t = g.floats("timestep" + s)[0];
                NDArray ctx = g.toFloat32("encoder_hidden_states" + s, m);
                NDArray ref = fp32.forward(x, t, ctx, null, null);
                NDArray out = bf16.forward(x, t, ctx, null, null);
                assertTrue(out.getDataType().isFloating() && out.getShape().equals(ref.getShape()));
                Agreement a = compare("tiny unet" + s, ref, out, g.toFloat32("out" + s, m));
                assertTrue(a.cosine() >= 0.999, "cosine " + a);
            }
        }
    }

    @Test
    void nineChannelInpaintingUnetAndControlNetResidualsRun() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15-inpaint.safetensors");
                SafetensorsFile base = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g9 = UnetFixtures.golden("unet_inpaint9.safetensors");
                SafetensorsFile gc = UnetFixtures.golden("controlnet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Compute bf = Compute.of(Precision.BF16);
            UnetConfig c9 = UnetConfig.fromWeights(UnetFixtures.weights(model), UnetConfig.SD1_HEADS);
            NDArray x9 = g9.toFloat32("sample", m);
            NDArray ctx9 = g9.toFloat32("encoder_hidden_states", m);
            float t9 = g9.floats("timestep")[0];
            NDArray ref9 = Unet.load(UnetFixtures.weights(model), c9, weights).forward(x9, t9, ctx9, null, null);
            NDArray out9 = Unet.load(UnetFixtures.weights(model), c9, weights, bf).forward(x9, t9, ctx9, null, null);
            Agreement a9 = compare("tiny inpainting unet (9 channels)", ref9, out9, g9.toFloat32("out", m));
            assertTrue(a9.cosine() >= 0.99, a9.toString());

            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(base), UnetConfig.SD1_HEADS);
            List<NDArray> down = new ArrayList<>();
            for (int i = 0; i < c.skipChannels().size(); i++) {
                down.add(gc.toFloat32(String.format("down_%02d", i), m));
            }
            NDArray x = gc.toFloat32("sample", m);
            NDArray ctx = gc.toFloat32("encoder_hidden_states", m);
            float t = gc.floats("timestep")[0];
            NDArray ref = Unet.load(UnetFixtures.weights(base), c, weights).forward(x, t, ctx, down, gc.toFloat32("mid", m));
            NDArray out = Unet.load(UnetFixtures.weights(base), c, weights, bf).forward(x, t, ctx, down,
                    gc.toFloat32("mid", m));
            Agreement a = compare("tiny unet + controlnet residuals", ref, out, gc.toFloat32("unet_out_with_residuals", m));
            assertTrue(a.cosine() >= 0.99, a.toString());
        }
    }
}
