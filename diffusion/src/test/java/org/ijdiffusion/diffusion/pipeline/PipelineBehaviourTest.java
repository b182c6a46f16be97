package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.diffusion.util.ProcessMemory;
import org.junit.jupiter.api.Test;

/** Progress, cancellation, memory across steps, batches and request validation. */
class PipelineBehaviourTest {
    private static SdModel tiny() {
        return PipelineGoldenTest.model(TestData.model("tiny-sd15.safetensors"));
    }

    private static GenerationRequest.Builder cat(int size, int steps) {
        return GenerationRequest.builder().prompt("a photo of a cat").negativePrompt("blurry").size(size, size)
                .steps(steps).cfg(7.5).seed(1234).sampler(SamplerKind.EULER_A);
    }

    @Test
    void reportsEveryStepWithAPreview() {
        List<String> seen = new ArrayList<>();
        ProgressListener l = new ProgressListener() {
            @Override
            public void onStep(int step, int total, double secondsPerStep, Supplier<FloatImage> preview) {
                FloatImage p = preview.get();
                seen.add(step + "/" + total + ":" + p.width() + "x" + p.height());
                assertTrue(secondsPerStep >= 0);
            }
        };
        new Pipeline(tiny()).generate(cat(64, 5).build(), l);
        assertEquals(List.of("1/5:8x8", "2/5:8x8", "3/5:8x8", "4/5:8x8", "5/5:8x8"), seen);
    }

    @Test
    void cancellingStopsWithinAStepAndProducesNothing() {
        int[] steps = {0};
        ProgressListener l = new ProgressListener() {
            @Override
            public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                steps[0] = step;
            }

            @Override
            public boolean isCancelled() {
                return steps[0] >= 3;
            }
        };
        GenerationCancelledException e = assertThrows(GenerationCancelledException.class,
                () -> new Pipeline(tiny()).generate(cat(64, 20).build(), l));
        assertEquals(3, steps[0], "stopped right after step 3");
        assertTrue(e.getMessage().contains("step 3 of 20"), e.getMessage());
        // the model is still usable afterwards, and gives the same image as before
        float[] a = new Pipeline(tiny()).generate(cat(64, 4).build(), null).images().get(0).data();
        float[] b = new Pipeline(tiny()).generate(cat(64, 4).build(), null).images().get(0).data();
        assertTrue(Arrays.equals(a, b));
    }

    /**
     * 30 steps at 256x256: the weights' manager gains no array and resident memory stays flat. The
     * Java heap is collected at each step so that RSS measures native memory (DJL's array wrappers
     * are Java garbage, ~2 MB a step here, bounded by the heap size, not a leak).
     */
    @Test
    void memoryIsFlatAcrossSteps() {
        SdModel model = tiny();
        int weightsBefore = model.manager().getManagedArrays().size();
        long[] rss = new long[31];
        ProgressListener l = new ProgressListener() {
            @Override
            public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                System.gc();
                rss[step] = ProcessMemory.rssBytes();
            }
        };
        new Pipeline(model).generate(cat(256, 30).sampler(SamplerKind.DPMPP_2M).build(), l);
        long growth = rss[30] - rss[10];
        System.out.printf("RSS at step 10: %.1f MB, step 20: %.1f MB, step 30: %.1f MB (growth %.2f MB); "
                + "weight arrays %d -> %d%n", rss[10] / 1e6, rss[20] / 1e6, rss[30] / 1e6, growth / 1e6, weightsBefore,
                model.manager().getManagedArrays().size());
        assertEquals(weightsBefore, model.manager().getManagedArrays().size(), "no array left in the weights' manager");
        assertTrue(growth < 8_000_000L, "RSS grew by " + growth / 1e6 + " MB over 20 steps");
    }

    @Test
    void aBatchComesFromOneNoiseDrawAndIsDeterministic() {
        GenerationResult r = new Pipeline(tiny()).generate(cat(64, 4).batch(2).build(), null);
        GenerationResult again = new Pipeline(tiny()).generate(cat(64, 4).batch(2).build(), null);
        assertEquals(2, r.images().size());
        assertFalse(Arrays.equals(r.images().get(0).data(), r.images().get(1).data()), "two different images");
        assertTrue(Arrays.equals(r.images().get(1).data(), again.images().get(1).data()));
        assertTrue(r.infotext().contains("Batch size: 2"), r.infotext());
    }

    @Test
    void sizesThatAreNotMultiplesOf8AreRejectedWithTheNearestValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cat(100, 4).build());
        assertTrue(e.getMessage().contains("width 100 is not a multiple of 8; use 96 or 104"), e.getMessage());
        assertTrue(e.getMessage().contains("height 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cat(64, 0).build());
        assertThrows(IllegalArgumentException.class, () -> cat(64, 4).strength(0).init(
                new FloatImage(64, 64, 3, new float[3 * 64 * 64])).build());
    }

    @Test
    void infotextFollowsA1111() {
        GenerationRequest r = cat(64, 20).clipSkip(2).build();
        String t = Infotext.format(r, 1234, "tiny-sd15", "0123456789");
        assertEquals("a photo of a cat\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7.5, "
                + "Seed: 1234, Size: 64x64, Model hash: 0123456789, Model: tiny-sd15, Clip skip: 2, RNG: CPU", t);
    }
}
