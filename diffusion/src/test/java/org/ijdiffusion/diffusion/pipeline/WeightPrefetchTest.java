package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.diffusion.testutil.WithProperty;
import org.ijdiffusion.diffusion.io.MappedArrays;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.junit.jupiter.api.Test;

/** The background weight prefetch: it makes every copy, changes no number, and a close while it runs is clean. */
class WeightPrefetchTest {
    private static final Path MODEL = TestData.model("tiny-sd15.safetensors");

    private static GenerationRequest request() {
        return GenerationRequest.builder().prompt("a red house").size(64, 64).steps(3).sampler(SamplerKind.EULER_A)
                .seed(11).build();
    }

    private static SdModel load(boolean prefetch) {
        return WithProperty.get("ijd.prefetch", Boolean.toString(prefetch), () -> SdModel.load(MODEL, null));
    }

    @Test
    void prefetchMakesEveryCopyAndTheSamePicture() throws Exception {
        float[] without;
        try (SdModel sd = load(false)) {
            assertEquals(-1, sd.awaitPrefetch(), "off");
            without = new Pipeline(sd).generate(request(), null).images().get(0).data();
        }
        try (SdModel sd = load(true)) {
            int made = sd.awaitPrefetch();
            // the UNet's float16 weights (and the text encoder's, the VAE's) were still mapped after the load
            assertTrue(made > 100, "copies made in the background: " + made);
            assertEquals(0, MappedArrays.prefetch(sd.checkpoint().files(), () -> false), "nothing is left mapped");
            float[] with = new Pipeline(sd).generate(request(), null).images().get(0).data();
            assertArrayEquals(without, with, "the same picture bit for bit");
        }
    }

    @Test
    void closingWhilePrefetchingIsClean() throws Exception {
        for (int i = 0; i < 5; i++) {
            // closed at once: the thread is stopped and joined before the arrays close
            load(true).close();
        }
        try (SdModel sd = load(true)) {
            assertTrue(new Pipeline(sd).generate(request(), null).images().get(0).data().length > 0);
        }
    }
}
