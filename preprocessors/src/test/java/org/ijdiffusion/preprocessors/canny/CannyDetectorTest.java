package org.ijdiffusion.preprocessors.canny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.TestFiles;
import org.junit.jupiter.api.Test;

class CannyDetectorTest {

    @Test
    void bitIdenticalToReferenceMaps() throws Exception {
        for (String name : new String[] {"bird", "man"}) {
            RgbImage in = TestFiles.image("canny-reference/canny_in_" + name + ".png");
            RgbImage ref = TestFiles.image("canny-reference/canny_py46_" + name + ".png");
            RgbImage edges = CannyDetector.edges(in, 100, 200);
            int diff = TestFiles.differingPixels(edges, ref);
            int on = 0;
            for (int p : ref.argb()) {
                on += (p & 0xFF) != 0 ? 1 : 0;
            }
            System.out.println("Canny " + name + ": differing pixels = " + diff + " (edge pixels " + on + ")");
            assertTrue(on > 1000);
            assertEquals(0, diff);
        }
    }

    @Test
    void mapHasRequestedSizeAndOnlyBlackOrWhiteAtDetectSize() throws Exception {
        RgbImage in = TestFiles.image("images/bird.png");
        RgbImage m = CannyDetector.map(in, 100, 200, 512, in.width(), in.height());
        assertEquals(in.width(), m.width());
        assertEquals(in.height(), m.height());
        RgbImage atDetect = CannyDetector.map(in, 100, 200, 512, 512, 768);
        for (int p : atDetect.argb()) {
            int v = p & 0xFFFFFF;
            assertTrue(v == 0 || v == 0xFFFFFF);
        }
    }

    @Test
    void largePhotoIsFastAndInputUntouched() {
        RgbImage in = TestFiles.noise(2048, 1536, 1);
        int[] before = in.argb().clone();
        CannyDetector.map(in, 100, 200, 512, 2048, 1536);
        long t0 = System.nanoTime();
        RgbImage m = CannyDetector.map(in, 100, 200, 512, 2048, 1536);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("Canny 2048x1536 (detect 512): %.1f ms%n", ms);
        assertEquals(2048, m.width());
        assertArrayEquals(before, in.argb());
        assertTrue(ms < 1000, "Canny took " + ms + " ms");
    }

    @Test
    void badThresholdsAreRejected() {
        RgbImage in = RgbImage.black(8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CannyDetector.edges(in, 200, 100));
        assertTrue(e.getMessage().contains("low"));
    }
}
