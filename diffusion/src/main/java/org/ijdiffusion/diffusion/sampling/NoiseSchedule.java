package org.ijdiffusion.diffusion.sampling;

/**
 * The training noise schedule of a model ("scaled_linear" betas, as in SD 1.x): betas are the squares
 * of a float32 linspace between sqrt(betaStart) and sqrt(betaEnd), alphas_cumprod their running product.
 * Computed the way torch does it (float32 values, cumulative product accumulated in double), so the
 * derived timesteps and sigmas equal the reference's.
 */
public record NoiseSchedule(int trainSteps, double betaStart, double betaEnd) {
    /** Stable Diffusion 1.x: 1000 steps, betas 0.00085 .. 0.012, scaled linear. */
    public static final NoiseSchedule SD15 = new NoiseSchedule(1000, 0.00085, 0.012);

    public NoiseSchedule {
        if (trainSteps < 2) {
            throw new IllegalArgumentException("trainSteps must be at least 2, got " + trainSteps);
        }
        if (!(betaStart > 0 && betaEnd > betaStart && betaEnd < 1)) {
            throw new IllegalArgumentException("need 0 < betaStart < betaEnd < 1, got " + betaStart + ", " + betaEnd);
        }
    }

    /** alphas_cumprod[t] for t = 0 .. trainSteps-1 (float32 values). */
    public float[] alphasCumprod() {
        double start = (float) Math.sqrt(betaStart);
        double end = (float) Math.sqrt(betaEnd);
        int n = trainSteps;
        // float32 end points, the ramp in double (torch.linspace from both ends): of the reference's
        // recorded sigmas this reproduces most bit for bit, the rest within 1 ulp
        double step = (end - start) / (n - 1);
        int halfway = n / 2;
        float[] out = new float[n];
        double cum = 1.0;
        for (int i = 0; i < n; i++) {
            float b = (float) (i < halfway ? start + step * i : end - step * (n - i - 1));
            float beta = b * b;
            float alpha = 1f - beta;
            cum *= alpha;
            out[i] = (float) cum;
        }
        return out;
    }

    /** sigma(t) = sqrt((1 - alphas_cumprod[t]) / alphas_cumprod[t]) in float32, for every train step. */
    public float[] sigmas() {
        float[] ac = alphasCumprod();
        float[] s = new float[ac.length];
        for (int i = 0; i < ac.length; i++) {
            s[i] = (float) Math.sqrt((1f - ac[i]) / ac[i]);
        }
        return s;
    }
}
