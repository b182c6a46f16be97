package org.ijdiffusion.controlnet;

import static org.ijdiffusion.diffusion.testutil.Diffs.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ControlNet component golden: 12 down residuals + mid, from both layouts. */
class ControlNetGoldenTest {
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "controlnet component from {0}")
    @ValueSource(strings = {"tiny-controlnet.safetensors", "tiny-controlnet"})
    void reproducesTheResiduals(String file) {
        try (ControlNetCheckpoint ckpt = ControlNetCheckpoint.open(TestData.model(file));
                NDManager m = NDManager.newBaseManager();
                SafetensorsFile g = SafetensorsFile.open(TestData.golden().resolve("components/controlnet.safetensors"))) {
            ControlNet net = ControlNet.load(ckpt, m);
            NDArray sample = g.toFloat32("sample", m);
            NDArray ctx = g.toFloat32("encoder_hidden_states", m);
            NDArray hint = g.toFloat32("controlnet_cond", m);
            float t = g.floats("timestep")[0];
            NDList r = net.forward(sample, t, ctx, hint);
            assertEquals(13, r.size());
            double worst = 0;
            for (int i = 0; i < 12; i++) {
                String name = String.format("down_%02d", i);
                worst = Math.max(worst, maxAbsDiff(g.floats(name), r.get(i).toFloatArray()));
                assertEquals(new Shape(g.info(name).shape()), r.get(i).getShape(), name);
            }
            // The mid residual of this tiny model is ill-conditioned: at its 1x1 middle level each group
            // norm averages 2 values. Its bound is twice what a sub-float32 nudge of the input moves it.
            double mid = maxAbsDiff(g.floats("mid"), r.get(12).toFloatArray());
            NDList nudged = net.forward(sample.mul(1f + 1e-7f), t, ctx, hint);
            double midSensitivity = maxAbsDiff(nudged.get(12).toFloatArray(), r.get(12).toFloatArray());
            System.out.printf("golden controlnet component (%s): down residuals max|diff| %.3e; mid %.3e "
                    + "(input x(1+1e-7) moves mid by %.3e)%n", file, worst, mid, midSensitivity);
            assertTrue(worst < TOLERANCE, "down residuals max |diff| " + worst);
            assertTrue(mid < Math.max(TOLERANCE, 2 * midSensitivity), "mid max |diff| " + mid);
        }
    }
}
