package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Euler (diffusers EulerDiscreteScheduler, s_churn 0). diffusers draws a noise tensor at every step
 * and never uses it (its weight is 0 without churn); this port does not draw it, so a request's later
 * draws (none in the standard pipelines) would come one tensor per step earlier than in diffusers.
 */
final class EulerStep implements Stepper {
    private final Schedule s;

    EulerStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        float sigma = s.sigmaF(i);
        NDArray x0 = x.sub(eps.mul(sigma));
        NDArray derivative = x.sub(x0).div(sigma);
        float dt = s.sigmaF(i + 1) - sigma;
        return x.add(derivative.mul(dt));
    }
}
