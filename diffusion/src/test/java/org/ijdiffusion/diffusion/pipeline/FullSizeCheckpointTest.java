package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.diffusion.util.ProcessMemory;
import org.junit.jupiter.api.Test;

/**
 * 3 steps at 256x256 on the full-size SD1.5 checkpoint of random weights, when it has been written
 * (`bin/ij-diffusion random-sd15 --out target/sd15-random.safetensors`, or the path in the
 * environment variable IJD_SD15_RANDOM): finite output and flat memory. Skipped, with a message, when
 * the file is not there (it is 2.1 GB and never committed).
 */
class FullSizeCheckpointTest {
    static Path checkpoint() {
        String env = System.getenv("IJD_SD15_RANDOM");
        return env != null ? Paths.get(env) : TestData.root().resolveSibling("target").resolve("sd15-random.safetensors");
    }

    @Test
    void threeStepsAt256AreFiniteWithFlatMemory() {
        Path file = checkpoint();
        assumeTrue(Files.isRegularFile(file), "no full-size random checkpoint at " + file
                + " (write one with: bin/ij-diffusion random-sd15 --out " + file + ")");
        long t0 = System.nanoTime();
        try (SdModel model = SdModel.load(file, null)) {
            double load = (System.nanoTime() - t0) / 1e9;
            long[] rss = new long[4];
            ProgressListener l = new ProgressListener() {
                @Override
                public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                    System.gc();
                    rss[step] = ProcessMemory.rssBytes();
                    System.out.printf("full-size step %d/%d: %.2f s, RSS %.2f GB%n", step, total, s, rss[step] / 1e9);
                }
            };
            GenerationRequest r = GenerationRequest.builder().prompt("a photograph of an astronaut riding a horse")
                    .size(256, 256).steps(3).cfg(7.5).seed(42).sampler(SamplerKind.EULER).build();
            FloatImage img = new Pipeline(model).generate(r, l).images().get(0);
            for (float v : img.data()) {
                assertTrue(Float.isFinite(v), "finite output");
            }
            System.out.printf("full-size load %.1f s, peak RSS %.2f GB%n", load, ProcessMemory.peakRssBytes() / 1e9);
            assertTrue(rss[3] - rss[2] < 64_000_000L, "RSS grew from step 2 to 3 by " + (rss[3] - rss[2]) / 1e6 + " MB");
        }
    }
}
