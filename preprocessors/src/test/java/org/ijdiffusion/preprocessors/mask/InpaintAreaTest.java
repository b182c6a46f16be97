package org.ijdiffusion.preprocessors.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Inpaint area geometry (padding, clamping, multiples of 8, working size) and paste-back on a real photo. */
class InpaintAreaTest {

    @Test
    void workSizes() {
        assertEquals(new WorkSize(712, 544), WorkSize.nearest(713, 541));
        assertEquals(new WorkSize(8, 8), WorkSize.nearest(3, 5));
        assertEquals(new WorkSize(512, 512), WorkSize.nearest(512, 515));
        // short side to 512, long side in proportion, rounded to 8
        assertEquals(new WorkSize(512, 680), WorkSize.forBox(96, 128, 512)); // 682.7 -> 680
        assertEquals(new WorkSize(768, 512), WorkSize.forBox(1200, 800, 512)); // large boxes scale down
        assertThrows(IllegalArgumentException.class, () -> new WorkSize(12, 16));
    }

    @Test
    void paddedBoxIsClampedToTheImage() {
        Mask m = Mask.rectangle(200, 100, 5, 90, 20, 10); // touches the bottom border
        assertEquals(new CropBox(0, 58, 57, 42), CropBox.around(m, 32));
        assertEquals(new CropBox(5, 90, 20, 10), CropBox.around(m, 0));
        assertEquals(new CropBox(0, 0, 200, 100), CropBox.whole(200, 100));
    }

    @Test
    void boxScalesToAControlMapOfAnotherSize() {
        CropBox b = new CropBox(100, 40, 64, 48);
        assertSame(b, b.scaledTo(400, 300, 400, 300));
        assertEquals(new CropBox(50, 20, 32, 24), b.scaledTo(400, 300, 200, 150));
        assertEquals(new CropBox(0, 0, 1, 1), new CropBox(0, 0, 1, 1).scaledTo(400, 300, 40, 30));
    }

    /** Random masks (many touching a border) on odd image sizes: every box holds the mask, is inside, multiple of 8. */
    @ParameterizedTest
    @CsvSource({"713, 541", "1000, 750", "64, 200", "37, 29"})
    void onlyMaskedBoxesHoldTheMaskInsideTheImage(int w, int h) {
        Random r = new Random(w * 31L + h);
        for (int k = 0; k < 200; k++) {
            int mw = 1 + r.nextInt(Math.max(1, w / 3));
            int mh = 1 + r.nextInt(Math.max(1, h / 3));
            int x = r.nextInt(4) == 0 ? 0 : r.nextInt(w - mw + 1);
            int y = r.nextInt(4) == 0 ? h - mh : r.nextInt(h - mh + 1);
            Mask m = Mask.rectangle(w, h, x, y, mw, mh);
            int padding = r.nextInt(64);
            CropBox pad = CropBox.around(m, padding);
            WorkSize ws = WorkSize.forBox(pad.width(), pad.height(), 512);
            CropBox b = CropBox.onlyMasked(m, padding, ws.width(), ws.height());
            String what = "mask " + x + "," + y + " " + mw + "x" + mh + " pad " + padding + " -> " + b;
            assertTrue(b.x() >= 0 && b.y() >= 0 && b.x() + b.width() <= w && b.y() + b.height() <= h, what);
            assertTrue(b.x() <= pad.x() && b.y() <= pad.y(), what);
            assertTrue(b.x() + b.width() >= pad.x() + pad.width() && b.y() + b.height() >= pad.y() + pad.height(), what);
            assertTrue(b.width() % 8 == 0 || b.width() == w, what);
            assertTrue(b.height() % 8 == 0 || b.height() == h, what);
        }
    }

    /**
     * The full only-masked round trip on a real photo at several sizes (odd ones too): crop, scale to
     * the working size, "generate" (here: invert), scale back, paste with the grown+blurred mask.
     * Outside that mask every pixel is bit-identical; where it is 255 the result is the inverted crop;
     * without a change ("generation" = the scaled crop) the area comes back close to the source.
     */
    @ParameterizedTest
    @CsvSource({"713, 541", "564, 752", "1000, 750", "333, 517"})
    void pasteBackKeepsEverythingOutsideTheMask(int w, int h) throws Exception {
        RgbImage photo = PasteBack.resize(TestFiles.image("images/room.png"), w, h);
        int[] before = photo.argb().clone();
        Mask user = Mask.rectangle(w, h, w / 3, h / 2, w / 7, h / 9);
        Mask soft = MaskOps.growAndBlur(user, 6, 4);
        CropBox pad = CropBox.around(soft, 32);
        WorkSize ws = WorkSize.forBox(pad.width(), pad.height(), 512);
        CropBox box = CropBox.onlyMasked(soft, 32, ws.width(), ws.height());
        WorkSize work = WorkSize.forBox(box.width(), box.height(), 512);
        RgbImage atWork = PasteBack.resize(PasteBack.crop(photo, box), work.width(), work.height());
        RgbImage inverted = invert(atWork);

        RgbImage out = PasteBack.blend(photo, inverted, box, soft);
        RgbImage same = PasteBack.blend(photo, atWork, box, soft);
        assertEquals(w, out.width());
        assertEquals(h, out.height());
        RgbImage invertedInBox = PasteBack.resize(inverted, box.width(), box.height());
        long roundTrip = 0;
        int inside = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int m = soft.at(x, y);
                if (m == 0) {
                    assertEquals(before[i], out.argb()[i], "pixel " + x + "," + y + " outside the mask");
                } else {
                    assertTrue(x >= box.x() && x < box.x() + box.width() && y >= box.y() && y < box.y() + box.height());
                    if (m == 255) {
                        int g = invertedInBox.argb()[(y - box.y()) * box.width() + x - box.x()];
                        assertEquals(g & 0xFFFFFF, out.argb()[i] & 0xFFFFFF);
                    }
                    roundTrip += Math.abs(((same.argb()[i] >> 8) & 0xFF) - ((before[i] >> 8) & 0xFF));
                    inside++;
                }
            }
        }
        assertTrue(java.util.Arrays.equals(before, photo.argb()), "the source image was modified");
        double meanErr = roundTrip / (double) inside;
        System.out.printf("paste-back %dx%d: box %s, work %dx%d, %d masked pixels, scale round trip mean |diff| %.2f levels%n",
                w, h, box, work.width(), work.height(), inside, meanErr);
        assertTrue(meanErr < 3, "scale round trip error " + meanErr);
    }

    @Test
    void fillReplacesOnlyTheMaskedPixelsFromTheirSurroundings() {
        int w = 96;
        int h = 64;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = x < w / 2 ? 0xFF2060C0 : 0xFFC06020;
            }
        }
        RgbImage img = new RgbImage(w, h, px);
        // a hole with a dark blob inside, entirely in the left half
        int[] withBlob = px.clone();
        for (int y = 20; y < 40; y++) {
            for (int x = 10; x < 30; x++) {
                withBlob[y * w + x] = 0xFF000000;
            }
        }
        RgbImage src = new RgbImage(w, h, withBlob);
        Mask hole = Mask.rectangle(w, h, 8, 18, 24, 24);
        RgbImage filled = MaskFill.fill(src, hole, 128);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (hole.at(x, y) == 0) {
                    assertEquals(withBlob[i], filled.argb()[i]);
                } else {
                    for (int shift = 0; shift <= 16; shift += 8) { // Telea: a gradient-weighted mean, within a few levels
                        int e = (img.argb()[i] >> shift) & 0xFF;
                        int f = (filled.argb()[i] >> shift) & 0xFF;
                        assertEquals(e, f, 4, "filled at " + x + "," + y);
                    }
                }
            }
        }
        assertEquals(0x7F7F7F, MaskFill.fill(src, Mask.rectangle(w, h, 0, 0, w, h), 128).rgb(5, 5));
        assertThrows(IllegalArgumentException.class, () -> MaskFill.fill(src, Mask.rectangle(8, 8, 0, 0, 1, 1), 128));
    }

    /** A generated box with a colour cast comes back without it: no seam at the blurred border. */
    @Test
    void colorMatchRemovesACastAtTheBorder() throws Exception {
        RgbImage photo = PasteBack.resize(TestFiles.image("images/room.png"), 300, 200);
        Mask soft = MaskOps.growAndBlur(Mask.rectangle(300, 200, 120, 80, 40, 30), 2, 4);
        CropBox box = CropBox.onlyMasked(soft, 16, 64, 64);
        RgbImage cut = PasteBack.crop(photo, box);
        int[] cast = cut.argb().clone();
        for (int i = 0; i < cast.length; i++) {
            int r = Math.min(255, ((cast[i] >> 16) & 0xFF) + 30);
            int b = Math.max(0, (cast[i] & 0xFF) - 20);
            cast[i] = (cast[i] & 0xFF00FF00) | (r << 16) | b;
        }
        RgbImage matched = ColorMatch.toSource(photo, new RgbImage(box.width(), box.height(), cast), box, soft);
        RgbImage out = PasteBack.blend(photo, matched, box, soft);
        int worst = 0;
        for (int i = 0; i < out.argb().length; i++) {
            for (int k = 0; k <= 16; k += 8) {
                worst = Math.max(worst, Math.abs(((out.argb()[i] >> k) & 0xFF) - ((photo.argb()[i] >> k) & 0xFF)));
            }
            if (soft.values()[i] == 0) {
                assertEquals(photo.argb()[i], out.argb()[i]);
            }
        }
        System.out.println("colour match: a +30 red / -20 blue cast leaves at most " + worst + " levels");
        assertTrue(worst <= 6, "worst " + worst); // clipping at 0/255 in the cast image is not undone
        assertSame(cut, ColorMatch.toSource(photo, cut, box, MaskOps.grow(Mask.rectangle(300, 200, 120, 80, 40, 30), 0)));
    }

    @Test
    void maskResize() {
        Mask m = Mask.rectangle(64, 64, 0, 0, 32, 64);
        Mask small = MaskOps.resize(m, 16, 16);
        assertEquals(255, small.at(3, 5));
        assertEquals(0, small.at(12, 5));
        Mask big = MaskOps.resize(m, 128, 128);
        assertEquals(255, big.at(10, 10));
        assertEquals(0, big.at(100, 10));
        assertSame(m, MaskOps.resize(m, 64, 64));
    }

    private static RgbImage invert(RgbImage img) {
        int[] px = img.argb().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xFF000000 | (~px[i] & 0xFFFFFF);
        }
        return new RgbImage(img.width(), img.height(), px);
    }
}
