package org.ijdiffusion.preprocessors.mask;

import org.ijdiffusion.preprocessors.RgbImage;

/**
 * Optional colour matching before paste-back: the generated box is shifted, per channel, by the
 * mean difference between source and generated pixels on the mask's soft border (0 < mask < 255),
 * where a colour cast would show as a seam. Pixels outside the mask are not touched by paste-back
 * either way.
 */
public final class ColorMatch {
    private ColorMatch() {
    }

    /**
     * A new image: {@code generated} (already at the box size) with the per-channel offset that makes
     * its border-ring mean equal the source's; {@code generated} itself when the mask has no soft border.
     */
    public static RgbImage toSource(RgbImage source, RgbImage generated, CropBox box, Mask mask) {
        if (generated.width() != box.width() || generated.height() != box.height()) {
            throw new IllegalArgumentException("Generated image is " + generated.width() + "x" + generated.height()
                    + " but the box is " + box.width() + "x" + box.height());
        }
        long[] diff = new long[3];
        long n = 0;
        for (int y = 0; y < box.height(); y++) {
            for (int x = 0; x < box.width(); x++) {
                int m = mask.at(box.x() + x, box.y() + y);
                if (m == 0 || m == 255) {
                    continue;
                }
                int s = source.argb()[(box.y() + y) * source.width() + box.x() + x];
                int g = generated.argb()[y * box.width() + x];
                for (int c = 0; c < 3; c++) {
                    diff[c] += ((s >> (16 - 8 * c)) & 0xFF) - ((g >> (16 - 8 * c)) & 0xFF);
                }
                n++;
            }
        }
        if (n == 0) {
            return generated;
        }
        int[] shift = new int[3];
        for (int c = 0; c < 3; c++) {
            shift[c] = (int) Math.round(diff[c] / (double) n);
        }
        int[] px = new int[generated.argb().length];
        for (int i = 0; i < px.length; i++) {
            int g = generated.argb()[i];
            int v = 0xFF000000;
            for (int c = 0; c < 3; c++) {
                int k = 16 - 8 * c;
                v |= Math.max(0, Math.min(255, ((g >> k) & 0xFF) + shift[c])) << k;
            }
            px[i] = v;
        }
        return new RgbImage(generated.width(), generated.height(), px);
    }
}
