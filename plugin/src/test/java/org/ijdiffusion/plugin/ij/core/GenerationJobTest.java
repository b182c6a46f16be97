package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationCancelledException;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The GUI-free job: cancelling stops within a step with no result; the cached model gives identical images. */
class GenerationJobTest {
    static final Path MODEL = TestPaths.testdata().resolve("models/tiny-sd15.safetensors");

    private static GenerationRequest.Builder request() {
        return GenerationRequest.builder().prompt("a cat").size(64, 64).steps(6).cfg(7).sampler(SamplerKind.EULER).seed(3);
    }

    @AfterAll
    static void release() {
        GenerationJob.release();
    }

    @Test
    void cancelStopsWithinOneStep() {
        AtomicInteger steps = new AtomicInteger();
        ProgressListener cancelAfter2 = new ProgressListener() {
            @Override
            public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                steps.set(step);
                preview.get(); // the live preview is computable at every step
            }

            @Override
            public boolean isCancelled() {
                return steps.get() >= 2;
            }
        };
        assertThrows(GenerationCancelledException.class,
                () -> GenerationJob.run(MODEL, null, request(), List.of(), cancelAfter2));
        assertEquals(2, steps.get(), "no step after the cancel");
    }

    @Test
    void sameRequestSameImageOnTheCachedModel() {
        GenerationResult a = GenerationJob.run(MODEL, null, request(), List.of(), ProgressListener.NONE);
        GenerationResult b = GenerationJob.run(MODEL, null, request(), List.of(), ProgressListener.NONE);
        assertEquals(3, a.seed());
        assertArrayEquals(a.images().get(0).data(), b.images().get(0).data());
    }
}
