package org.ijdiffusion.diffusion.testutil;

import java.awt.image.BufferedImage;
import org.ijdiffusion.diffusion.pipeline.FloatImage;

/** Max |diff| measures the golden tests print. */
public final class Diffs {
    private Diffs() {
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Largest difference in 8-bit levels between a reference PNG and our image rounded to 8 bits. */
    public static int maxLevelDiff(BufferedImage png, FloatImage image) {
        int[] ours = image.toRgb();
        int[] ref = png.getRGB(0, 0, png.getWidth(), png.getHeight(), null, 0, png.getWidth());
        int m = 0;
        for (int i = 0; i < ours.length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                m = Math.max(m, Math.abs(((ours[i] >> s) & 0xff) - ((ref[i] >> s) & 0xff)));
            }
        }
        return m;
    }
}
