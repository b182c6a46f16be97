package org.ijdiffusion.diffusion.sampling;

/**
 * Timestep selections of the few-step schedulers (diffusers 0.27 LCMScheduler / TCDScheduler) and of
 * the "trailing" spacing, in the reference's arithmetic. Package-private helpers of {@link Schedule}.
 */
final class FewStepSpacing {
    /** LCM / TCD distillation schedule length ({@code original_inference_steps} of SD1.5's config). */
    static final int ORIGINAL_STEPS = 50;

    private FewStepSpacing() {
    }

    /**
     * LCM / TCD: the distillation timesteps {@code k*j - 1} (j = 1..original, k = train / original),
     * descending, of which {@code steps} are taken at indices {@code floor(linspace(0, n, steps,
     * endpoint=False))}. Both schedulers refuse more steps than the distillation schedule has.
     */
    static int[] consistency(String what, int steps, int trainSteps, int original) {
        int k = trainSteps / original;
        int n = original; // int(original_steps * strength) with strength 1: img2img skips steps afterwards
        if (steps > n) {
            throw new IllegalArgumentException(what + " supports at most " + original
                    + " steps (its distillation schedule has " + original + " timesteps), got " + steps);
        }
        int[] origin = new int[n];
        for (int j = 0; j < n; j++) {
            origin[j] = (n - j) * k - 1; // descending
        }
        int[] t = new int[steps];
        double step = (double) n / steps; // numpy linspace without the endpoint
        for (int i = 0; i < steps; i++) {
            t[i] = origin[(int) Math.floor(i * step)];
        }
        return t;
    }

    /**
     * "trailing": {@code round(arange(train, 0, -train / steps)) - 1}, descending from train - 1 (numpy's
     * arange length {@code ceil(train / ratio)} and round-half-even, as diffusers computes it).
     */
    static double[] trailing(int steps, int trainSteps) {
        double ratio = (double) trainSteps / steps;
        int n = (int) Math.ceil((0 - trainSteps) / -ratio);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.rint(trainSteps + i * -ratio) - 1;
        }
        return t;
    }
}
