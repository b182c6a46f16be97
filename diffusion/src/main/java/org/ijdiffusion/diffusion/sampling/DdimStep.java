package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * DDIM (diffusers DDIMScheduler, epsilon prediction, set_alpha_to_one false). With eta 0 deterministic;
 * with eta &gt; 0 the step's variance {@code eta^2 (1-a_prev)/(1-a) (1 - a/a_prev)} is added as fresh
 * noise, one tensor drawn at every step (also the last), as the reference.
 */
final class DdimStep implements Stepper {
    private final Schedule s;
    private final float eta;

    DdimStep(Schedule s) {
        this(s, 0);
    }

    DdimStep(Schedule s, double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("DDIM's eta must be between 0 and 1, got " + eta);
        }
        this.s = s;
        this.eta = (float) eta;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        int t = (int) s.timestep(i);
        float a = s.alphaCumprod(t);
        float aPrev = s.alphaCumprod(t - s.stepRatio());
        float b = 1f - a;
        NDArray x0 = x.sub(eps.mul(StepLoop.sqrt(b))).div(StepLoop.sqrt(a));
        if (eta == 0f) {
            NDArray direction = eps.mul(StepLoop.sqrt(1f - aPrev));
            return x0.mul(StepLoop.sqrt(aPrev)).add(direction);
        }
        if (noise == null) {
            throw new IllegalArgumentException("DDIM with eta > 0 needs a noise source");
        }
        float variance = ((1f - aPrev) / b) * (1f - a / aPrev);
        float std = eta * StepLoop.sqrt(variance);
        NDArray direction = eps.mul(StepLoop.sqrt(1f - aPrev - std * std));
        NDArray prev = x0.mul(StepLoop.sqrt(aPrev)).add(direction);
        NDArray n = noise.next(eps.getShape());
        return prev.add(n.mul(std));
    }
}
