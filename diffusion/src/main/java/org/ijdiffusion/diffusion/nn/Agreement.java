package org.ijdiffusion.diffusion.nn;

import java.util.Locale;

/**
 * How closely an output agrees with a reference output of the same shape (e.g. bf16 against fp32):
 * relative L2 error |x - ref| / |ref|, cosine similarity, and the largest absolute difference.
 * Computed in double precision.
 */
public record Agreement(double relativeL2, double cosine, double maxAbsDiff) {
    public static Agreement of(float[] reference, float[] x) {
        if (reference.length != x.length) {
            throw new IllegalArgumentException("Outputs of different sizes: " + reference.length + " vs " + x.length);
        }
        double dd = 0;
        double rr = 0;
        double xx = 0;
        double rx = 0;
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            double r = reference[i];
            double v = x[i];
            double d = v - r;
            dd += d * d;
            rr += r * r;
            xx += v * v;
            rx += r * v;
            max = Math.max(max, Math.abs(d));
        }
        double cos = rr == 0 || xx == 0 ? (rr == xx ? 1 : 0) : rx / Math.sqrt(rr * xx);
        return new Agreement(rr == 0 ? Math.sqrt(dd) : Math.sqrt(dd / rr), cos, max);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "relative L2 %.2e, cosine %.6f, max |diff| %.3g", relativeL2, cosine,
                maxAbsDiff);
    }
}
