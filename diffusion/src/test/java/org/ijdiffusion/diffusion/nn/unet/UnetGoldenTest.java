package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

/** The UNet against diffusers' outputs on the tiny random-weight models (golden/components). */
class UnetGoldenTest {

    private static float scalar(SafetensorsFile g, String name) {
        return g.floats(name)[0];
    }

    @Test
    void matchesDiffusersOnSquareAndNonSquareLatents() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g = UnetFixtures.golden("unet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Unet unet = UnetFixtures.unet(model, weights);
            assertTrue(unet.unusedWeights().isEmpty(), "unused: " + unet.unusedWeights());

            NDArray out = unet.forward(g.toFloat32("sample", m), scalar(g, "timestep"),
                    g.toFloat32("encoder_hidden_states", m), null, null);
            assertEquals(m, out.getManager());
            UnetFixtures.assertClose("unet t=981 [2,4,8,8]", g.toFloat32("out", m), out);

            NDArray outB = unet.forward(g.toFloat32("sample_b", m), scalar(g, "timestep_b"),
                    g.toFloat32("encoder_hidden_states_b", m), null, null);
            UnetFixtures.assertClose("unet t=1 [1,4,8,12]", g.toFloat32("out_b", m), outB);
        }
    }

    @Test
    void matchesDiffusersWithNineInputChannels() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15-inpaint.safetensors");
                SafetensorsFile g = UnetFixtures.golden("unet_inpaint9.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(model), 8);
            assertEquals(9, c.inChannels());
            Unet unet = Unet.load(UnetFixtures.weights(model), c, weights);
            NDArray out = unet.forward(g.toFloat32("sample", m), scalar(g, "timestep"),
                    g.toFloat32("encoder_hidden_states", m), null, null);
            UnetFixtures.assertClose("unet inpaint9 t=500", g.toFloat32("out", m), out,
                    UnetFixtures.ILL_CONDITIONED_TOLERANCE);
        }
    }

    @Test
    void addsControlNetResidualsToTheSkipsAndTheMiddle() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g = UnetFixtures.golden("controlnet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Unet unet = UnetFixtures.unet(model, weights);
            List<NDArray> down = new ArrayList<>();
            for (int i = 0; i < unet.config().skipChannels().size(); i++) {
                down.add(g.toFloat32(String.format("down_%02d", i), m));
            }
            NDArray out = unet.forward(g.toFloat32("sample", m), scalar(g, "timestep"),
                    g.toFloat32("encoder_hidden_states", m), down, g.toFloat32("mid", m));
            UnetFixtures.assertClose("unet + controlnet residuals", g.toFloat32("unet_out_with_residuals", m), out);
        }
    }
}
