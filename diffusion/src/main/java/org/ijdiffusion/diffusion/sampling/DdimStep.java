package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/** DDIM with eta 0 (diffusers DDIMScheduler, epsilon prediction, set_alpha_to_one false). */
final class DdimStep implements Stepper {
    private final Schedule s;

    DdimStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        int t = (int) s.timestep(i);
        float a = s.alphaCumprod(t);
        float aPrev = s.alphaCumprod(t - s.stepRatio());
        float b = 1f - a;
        NDArray x0 = x.sub(eps.mul(StepLoop.sqrt(b))).div(StepLoop.sqrt(a));
        NDArray direction = eps.mul(StepLoop.sqrt(1f - aPrev));
        return x0.mul(StepLoop.sqrt(aPrev)).add(direction);
    }
}
