package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.model.RandomSd15;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.text.ClipTextConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation on a model whose sizes differ from the tiny fixtures in every dimension (UNet width,
 * levels, res blocks, attention levels, context width; VAE width and depth; text width, layers):
 * everything is read from the tensors, so it loads and generates, deterministically.
 */
class OtherModelSizesTest {
    @TempDir
    Path dir;

    @Test
    void aModelOfOtherSizesLoadsAndGenerates() throws Exception {
        UnetConfig unet = new UnetConfig(4, 4, 64, List.of(1, 2, 3), 1, List.of(true, true, false), 8, 0, 48, 2, true);
        VaeConfig vae = VaeConfig.of(32, new int[] {1, 2, 2, 2}, 2, 4, 3);
        ClipTextConfig text = new ClipTextConfig(48, 2, 6, 96, 77, 49408, false);
        Path file = dir.resolve("other-sizes.safetensors");
        RandomSd15.write(file, unet, vae, text, DType.F16, 5);
        try (SdModel model = SdModel.load(file, null)) {
            assertEquals(64, model.unet().config().modelChannels());
            assertEquals(List.of(1, 2, 3), model.unet().config().channelMult());
            assertEquals(48, model.unet().config().contextDim());
            assertTrue(model.unet().config().linearProj());
            GenerationRequest r = GenerationRequest.builder().prompt("a red (cube:1.2) on a table").negativePrompt("blur")
                    .size(96, 64).steps(3).cfg(6).seed(11).sampler(SamplerKind.DPMPP_2M_KARRAS).build();
            FloatImage a = new Pipeline(model).generate(r, null).images().get(0);
            FloatImage b = new Pipeline(model).generate(r, null).images().get(0);
            assertEquals(96, a.width());
            assertEquals(64, a.height());
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : a.data()) {
                assertTrue(Float.isFinite(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max > min, "not a constant image");
            assertArrayEquals(a.data(), b.data(), "deterministic");
        }
    }
}
