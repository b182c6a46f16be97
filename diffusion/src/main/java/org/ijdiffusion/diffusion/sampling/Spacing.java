package org.ijdiffusion.diffusion.sampling;

/**
 * The timestep and sigma derivations of diffusers' schedulers, in the same arithmetic (numpy float64
 * where diffusers uses numpy, float32 where it uses float32 arrays). Package-private helpers of
 * {@link Schedule}.
 */
final class Spacing {
    private Spacing() {
    }

    /** "leading" spacing (DDIM/PNDM): t_k = k * (train / n) + offset, descending. */
    static int[] leading(int steps, int trainSteps, int offset) {
        int ratio = trainSteps / steps;
        int[] t = new int[steps];
        for (int i = 0; i < steps; i++) {
            t[i] = (steps - 1 - i) * ratio + offset;
        }
        return t;
    }

    /** numpy.linspace(start, stop, num) (endpoint included), ascending. */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /** numpy.interp(x, arange(len(fp)), fp) for one x. */
    static double interp(double x, float[] fp) {
        int last = fp.length - 1;
        if (x <= 0) {
            return fp[0];
        }
        if (x >= last) {
            return fp[last];
        }
        int j = (int) Math.floor(x);
        if (x == j) {
            return fp[j];
        }
        double slope = ((double) fp[j + 1] - fp[j]) / 1.0;
        return slope * (x - j) + fp[j];
    }

    /** Karras et al. (2022) sigmas with rho 7 between sigmaMax and sigmaMin (diffusers' _convert_to_karras). */
    static double[] karras(double sigmaMin, double sigmaMax, int steps) {
        double rho = 7.0;
        double[] ramp = linspace(0, 1, steps);
        double minInv = Math.pow(sigmaMin, 1 / rho);
        double maxInv = Math.pow(sigmaMax, 1 / rho);
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            s[i] = Math.pow(maxInv + ramp[i] * (minInv - maxInv), rho);
        }
        return s;
    }

    /** The fractional train timestep whose sigma is {@code sigma} (log-linear interpolation, diffusers' _sigma_to_t). */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int n = logSigmas.length;
        int low = -1;
        for (int i = 0; i < n; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.max(0, Math.min(low, n - 2));
        double lo = logSigmas[low];
        double hi = logSigmas[low + 1];
        double w = (lo - logSigma) / (lo - hi);
        w = Math.max(0, Math.min(1, w));
        return (1 - w) * low + w * (low + 1);
    }

    /** float32 natural logarithms of the given values. */
    static float[] logs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) Math.log(v[i]);
        }
        return out;
    }
}
