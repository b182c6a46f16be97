package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;
import org.junit.jupiter.api.Test;

/**
 * The encoder is reusable by a ControlNet: built from the ControlNet's own weights, with its encoded hint
 * added after input_blocks.0, it yields the skips whose zero convolutions are diffusers' ControlNet
 * residuals. The hint block and zero convs below are a minimal test-side ControlNet (the real one lives
 * in the controlnet module).
 */
class UnetEncoderForControlNetTest {
    @Test
    void aControlNetBuiltOnTheEncoderReproducesTheResiduals() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-controlnet.safetensors");
                SafetensorsFile g = UnetFixtures.golden("controlnet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            PrefixWeights w = new PrefixWeights(model, "control_model.");
            UnetConfig c = UnetConfig.fromWeights(w, 8);
            Params p = new Params(w, weights);
            UnetEncoder encoder = UnetEncoder.load(p, c);

            NDArray hint = g.toFloat32("controlnet_cond", m);
            long[][] hintConvs = {{16, 3}, {16, 16}, {32, 16}, {32, 32}, {96, 32}, {96, 96}, {256, 96}, {32, 256}};
            for (int i = 0; i < hintConvs.length; i++) {
                int stride = i == 2 || i == 4 || i == 6 ? 2 : 1;
                hint = Conv2dLayer.load(p.at("input_hint_block." + 2 * i), hintConvs[i][0], hintConvs[i][1], 3, stride)
                        .forward(hint);
                if (i < hintConvs.length - 1) {
                    hint = Ops.silu(hint);
                }
            }
            NDArray sample = g.toFloat32("sample", m);
            NDArray t = m.full(new Shape(sample.getShape().get(0)), g.floats("timestep")[0]);
            UnetEncoder.Output out = encoder.forward(sample, t, g.toFloat32("encoder_hidden_states", m), hint);

            List<Integer> channels = c.skipChannels();
            assertEquals(channels.size(), out.skips().size());
            for (int i = 0; i < channels.size(); i++) {
                long ch = channels.get(i);
                NDArray residual = Conv2dLayer.load(p.at("zero_convs." + i + ".0"), ch, ch, 1, 1).forward(out.skips().get(i));
                UnetFixtures.assertClose(String.format("controlnet down_%02d", i), g.toFloat32(String.format("down_%02d", i), m),
                        residual);
            }
            long mid = c.midChannels();
            UnetFixtures.assertClose("controlnet mid", g.toFloat32("mid", m),
                    Conv2dLayer.load(p.at("middle_block_out.0"), mid, mid, 1, 1).forward(out.mid()),
                    UnetFixtures.ILL_CONDITIONED_TOLERANCE);
            Set<String> unused = p.unused();
            assertTrue(unused.isEmpty(), "unused: " + unused);
        }
    }
}
