package org.ijdiffusion.preprocessors.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.TestFiles;
import org.junit.jupiter.api.Test;

class MaskGeometryTest {

    @Test
    void fromImageUsesGreyLevel() {
        RgbImage img = new RgbImage(3, 1, new int[] {0xFF000000, 0xFF808080, 0xFFFF0000});
        Mask m = Mask.fromImage(img);
        assertEquals(0, m.at(0, 0));
        assertEquals(128, m.at(1, 0));
        assertEquals(76, m.at(2, 0)); // 255 * 0.299
    }

    @Test
    void growIsADisc() {
        Mask m = Mask.rectangle(64, 64, 20, 20, 10, 10);
        byte[] before = m.values().clone();
        Mask g = MaskOps.grow(m, 3);
        assertArrayEquals(before, m.values());
        assertEquals(255, g.at(17, 25));
        assertEquals(0, g.at(16, 25));
        assertEquals(255, g.at(32, 25));
        assertEquals(0, g.at(33, 25));
        assertEquals(255, g.at(18, 18)); // diagonal distance 2.8
        assertEquals(0, g.at(17, 17));   // diagonal distance 4.2
        assertArrayEquals(new int[] {17, 17, 33, 33}, CropBox.bounds(g));
    }

    @Test
    void blurIsA1111GaussianAlongXThenY() {
        int w = 64;
        Mask m = Mask.rectangle(w, 8, 32, 0, 32, 8); // a vertical step at x = 32
        Mask b = MaskOps.blur(m, 4);
        // kernel 2 * int(2.5 * 4 + 0.5) + 1 = 21, sigma 4
        double[] k = new double[21];
        double sum = 0;
        for (int i = 0; i < k.length; i++) {
            k[i] = Math.exp(-(i - 10) * (i - 10) / 32.0);
            sum += k[i];
        }
        for (int x = 20; x < 44; x++) {
            double v = 0;
            for (int i = 0; i < k.length; i++) {
                int xx = x + i - 10;
                v += xx >= 32 ? 255 * k[i] / sum : 0;
            }
            assertEquals(v, b.at(x, 4), 1.0, "x=" + x);
        }
        assertEquals(0, b.at(21, 4));
        assertEquals(255, b.at(43, 4));
        assertTrue(b.at(31, 4) < 128 && b.at(32, 4) > 128);
    }

    @Test
    void cropBoxPaddedToAspectAndMultiplesOfEight() {
        Mask m = Mask.rectangle(640, 480, 100, 100, 20, 10);
        // bbox 100..120 x 100..110, padding 32 -> 68..152 x 68..142 (84 x 74), square working size:
        // height + int(84 - 74) = 10 -> 63..147; then both 84 -> 88 (+2 each side)
        assertEquals(new CropBox(66, 61, 88, 88), CropBox.onlyMasked(m, 32, 512, 512));
        // at the top-left corner the box is shifted back inside the image
        Mask corner = Mask.rectangle(640, 480, 0, 0, 10, 10);
        CropBox c = CropBox.onlyMasked(corner, 32, 768, 512);
        assertEquals(new CropBox(0, 0, 64, 48), c);
        // a mask filling the image gives the whole image
        Mask all = Mask.rectangle(640, 480, 0, 0, 640, 480);
        assertEquals(new CropBox(0, 0, 640, 480), CropBox.onlyMasked(all, 32, 512, 768));
        assertNull(CropBox.onlyMasked(new Mask(8, 8, new byte[64]), 32, 512, 512));
        assertThrows(IllegalArgumentException.class, () -> CropBox.onlyMasked(m, -1, 512, 512));
    }

    @Test
    void pasteBackKeepsOutsidePixelsBitIdentical() {
        RgbImage src = TestFiles.noise(320, 240, 11);
        int[] srcBefore = src.argb().clone();
        Mask user = Mask.rectangle(320, 240, 150, 90, 40, 30);
        Mask soft = MaskOps.growAndBlur(user, 4, 4);
        CropBox box = CropBox.onlyMasked(soft, 32, 512, 512);
        RgbImage cut = PasteBack.crop(src, box);
        assertEquals(box.width(), cut.width());
        assertEquals(src.argb()[box.y() * 320 + box.x()], cut.argb()[0]);
        // a "generated" image at the working size, resized back into the box
        RgbImage gen = TestFiles.noise(512, 512, 12);
        RgbImage out = PasteBack.blend(src, gen, box, soft);
        RgbImage genInBox = PasteBack.resize(gen, box.width(), box.height());
        assertArrayEquals(srcBefore, src.argb());
        int outside = 0;
        int full = 0;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int i = y * 320 + x;
                int mv = soft.at(x, y);
                if (mv == 0) {
                    assertEquals(src.argb()[i], out.argb()[i], "outside the mask at " + x + "," + y);
                    outside++;
                } else if (mv == 255) {
                    assertEquals(genInBox.argb()[(y - box.y()) * box.width() + x - box.x()], out.argb()[i]);
                    full++;
                } else {
                    int s = (src.argb()[i] >> 8) & 0xFF;
                    int g = (genInBox.argb()[(y - box.y()) * box.width() + x - box.x()] >> 8) & 0xFF;
                    int o = (out.argb()[i] >> 8) & 0xFF;
                    assertTrue(o >= Math.min(s, g) && o <= Math.max(s, g));
                }
            }
        }
        System.out.println("paste-back: " + outside + " source pixels kept, " + full + " fully replaced");
        assertTrue(full > 0 && outside > 0);
        assertEquals(255, soft.at(170, 105)); // centre of the user mask
        // the grown+blurred mask stays inside the box
        int[] b = CropBox.bounds(soft);
        assertTrue(b[0] >= box.x() && b[2] <= box.x() + box.width());
    }
}
