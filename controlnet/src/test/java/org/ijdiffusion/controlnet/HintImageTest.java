package org.ijdiffusion.controlnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.junit.jupiter.api.Test;

/** The geometry of each resize mode, on images whose right answer is known by construction. */
class HintImageTest {
    /** w x h RGB image: red where x < split, blue elsewhere. */
    private static FloatImage halves(int w, int h, int split) {
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = x < split ? 0xff0000 : 0x0000ff;
            }
        }
        return FloatImage.fromRgb(w, h, rgb);
    }

    private static int px(FloatImage img, int x, int y) {
        return img.toRgb()[y * img.width() + x];
    }

    @Test
    void justResizeStretches() {
        FloatImage out = HintImage.fit(halves(128, 32, 64), 64, 64, ResizeMode.JUST_RESIZE);
        assertEquals(64, out.width());
        assertEquals(0xff0000, px(out, 10, 60));
        assertEquals(0x0000ff, px(out, 54, 3));
    }

    @Test
    void cropAndResizeCoversAndCentres() {
        // 256x64 -> scale 1 to cover 64x64, keep the centre 64 columns: columns 96..159 of the source.
        // Red up to column 120 of the source = column 24 of the result.
        FloatImage out = HintImage.fit(halves(256, 64, 120), 64, 64, ResizeMode.CROP_AND_RESIZE);
        assertEquals(0xff0000, px(out, 23, 30));
        assertEquals(0x0000ff, px(out, 24, 30));
    }

    @Test
    void resizeAndFillFitsAndPadsWithTheBorderMedian() {
        // 128x32 -> scale 0.5 to fit: 64x16 in the middle rows 24..39; border median of a mostly blue image is blue
        FloatImage out = HintImage.fit(halves(128, 32, 40), 64, 64, ResizeMode.RESIZE_AND_FILL);
        assertEquals(0x0000ff, px(out, 5, 2));
        assertEquals(0x0000ff, px(out, 5, 60));
        assertEquals(0xff0000, px(out, 5, 30));
        assertEquals(0x0000ff, px(out, 40, 30));
    }

    @Test
    void areaShrinkAveragesExactly() {
        // a 2x2 checker of 0 and 1 shrunk to 1x1 is 0.5
        FloatImage src = new FloatImage(2, 2, 1, new float[] {0, 1, 1, 0});
        assertEquals(0.5f, HintImage.resample(src, 1, 1).data()[0], 1e-7);
    }
}
