package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import org.ijdiffusion.preprocessors.RgbImage;
import org.junit.jupiter.api.Test;

/** Image types into the engine: grey through the display range, the source untouched. */
class IjImagesTest {
    @Test
    void sixteenBitUsesTheDisplayRange() {
        ShortProcessor sp = new ShortProcessor(3, 1, new short[] {1000, 1500, 3000}, null);
        sp.setMinAndMax(1000, 2000);
        short[] before = ((short[]) sp.getPixels()).clone();
        RgbImage rgb = IjImages.rgb(sp);
        assertEquals(0, rgb.rgb(0, 0) & 0xffffff, "the bottom of the range is black");
        int mid = rgb.rgb(1, 0) & 0xff;
        assertEquals(128, mid, 1);
        assertEquals(0xffffff, rgb.rgb(2, 0) & 0xffffff, "above the range saturates");
        assertEquals((rgb.rgb(1, 0) >> 16) & 0xff, mid, "grey: R = G = B");
        assertArrayEquals(before, (short[]) sp.getPixels(), "the source is not modified");
        assertEquals(1000, sp.getMin());
    }

    @Test
    void floatAndEightBit() {
        FloatProcessor fp = new FloatProcessor(2, 1, new float[] {-1f, 1f});
        fp.setMinAndMax(-1, 1);
        RgbImage f = IjImages.rgb(fp);
        assertEquals(0, f.rgb(0, 0) & 0xff);
        assertEquals(255, f.rgb(1, 0) & 0xff);
        ByteProcessor bp = new ByteProcessor(1, 1, new byte[] {77});
        assertEquals(0x4d4d4d, IjImages.rgb(bp).rgb(0, 0) & 0xffffff);
        ColorProcessor cp = new ColorProcessor(1, 1, new int[] {0x123456});
        assertEquals(0x123456, IjImages.rgb(cp).rgb(0, 0) & 0xffffff);
    }

    @Test
    void sizesToMultiplesOf8AndBack() {
        RgbImage img = IjImages.rgb(new ColorProcessor(60, 50));
        RgbImage in = IjImages.toMultipleOf8(img);
        assertEquals(64, in.width());
        assertEquals(48, in.height());
        RgbImage back = IjImages.resize(in, 60, 50);
        assertEquals(60, back.width());
        assertEquals(50, back.height());
    }
}
