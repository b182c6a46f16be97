package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijdiffusion.diffusion.model.RandomSd15;
import org.ijdiffusion.diffusion.util.AvailableMemory;
import org.junit.jupiter.api.Test;

/**
 * The memory estimate against the peaks measured on the full-size SD1.5 checkpoint (docs/PERFORMANCE.md),
 * and the refusal of sizes that cannot fit.
 */
class MemoryEstimateTest {
    /** SD1.5 weights as loaded from F16: UNet 859,520,964 params x 2, VAE 83,653,863 and text 123,060,480 x 4. */
    static final double SD15_F16_WEIGHTS = 859_520_964.0 * 2 + (83_653_863.0 + 123_060_480.0) * 4;

    static MemoryEstimate sd15(int w, int h, int batch, boolean encodes) {
        return MemoryEstimate.of(RandomSd15.UNET, RandomSd15.VAE, SD15_F16_WEIGHTS, w, h, batch, true, encodes, 0);
    }

    private static void near(double measuredGb, MemoryEstimate e, String what) {
        double gb = e.total() / 1e9;
        System.out.printf("%s: estimate %.2f GB (unet %.2f, decode %.2f, encode %.2f), measured %.2f GB%n", what, gb,
                e.unet() / 1e9, e.decode() / 1e9, e.encode() / 1e9, measuredGb);
        // an estimate that refuses what runs, or lets through twice what fits, is useless: within 15 %
        assertTrue(Math.abs(gb - measuredGb) <= 0.15 * measuredGb, what + ": estimate " + gb + " GB vs measured " + measuredGb);
    }

    @Test
    void agreesWithMeasuredPeaks() {
        near(4.29, sd15(512, 512, 1, false), "512x512 txt2img");
        near(3.36, sd15(256, 256, 1, false), "256x256 txt2img");
        // 2048x2048 decode-only bench: the whole model loaded, one tiled decode
        near(4.0, sd15(2048, 2048, 1, false).withoutUnet(), "2048x2048 tiled decode");
    }

    @Test
    void growsWithSizeAndBatch() {
        assertTrue(sd15(512, 512, 4, false).total() > sd15(512, 512, 1, false).total());
        assertTrue(sd15(1024, 1024, 1, false).unet() > 3 * sd15(512, 512, 1, false).unet());
        assertTrue(sd15(1024, 1024, 1, true).encode() > 0);
        assertEquals(0, sd15(1024, 1024, 1, false).encode());
    }

    @Test
    void refusesWhatCannotFit() {
        String before = System.getProperty(AvailableMemory.AVAILABLE_PROPERTY);
        System.setProperty(AvailableMemory.AVAILABLE_PROPERTY, String.valueOf(16L << 30));
        try {
            sd15(512, 512, 1, false).require(512, 512, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sd15(100000, 512, 1, false).require(100000, 512, 1));
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().matches("100000x512 needs ~[0-9.]+ GB of memory \\(.*\\), 17\\.2 GB available; try a smaller size\\."),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sd15(100000, 100000, 1, false).require(100000, 100000, 1));
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> sd15(2147483640, 512, 1, false).require(2147483640, 512, 1));
            assertTrue(big.getMessage().contains("Java array"), big.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sd15(4096, 4096, 1, true).require(4096, 4096, 1));
        } finally {
            if (before == null) {
                System.clearProperty(AvailableMemory.AVAILABLE_PROPERTY);
            } else {
                System.setProperty(AvailableMemory.AVAILABLE_PROPERTY, before);
            }
        }
    }
}
