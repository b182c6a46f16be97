package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Trajectory Consistency Distillation sampling (diffusers TCDScheduler, epsilon prediction) with
 * stochasticity {@code gamma} (diffusers' {@code eta}): the clean prediction is moved to the
 * intermediate timestep {@code s = floor((1 - gamma) * t_prev)}, then noised forward to t_prev with one
 * fresh noise tensor (after every step but the last; none at all when gamma is 0).
 */
final class TcdStep implements Stepper {
    private final Schedule s;
    private final float gamma;

    TcdStep(Schedule s, double gamma) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("TCD's gamma (eta) must be between 0 and 1, got " + gamma);
        }
        this.s = s;
        this.gamma = (float) gamma;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        boolean last = i == s.steps() - 1;
        int t = (int) s.timestep(i);
        int prev = last ? 0 : (int) s.timestep(i + 1);
        // float32 product of a long timestep tensor and a Python float, as in the reference
        int ts = (int) Math.floor((1f - gamma) * (float) prev);
        float a = s.alphaCumprod(t);
        float aPrev = s.alphaCumprod(prev);
        float aS = s.alphaCumprod(ts);
        NDArray x0 = x.sub(eps.mul(StepLoop.sqrt(1f - a))).div(StepLoop.sqrt(a));
        NDArray noised = x0.mul(StepLoop.sqrt(aS)).add(eps.mul(StepLoop.sqrt(1f - aS)));
        if (gamma == 0f || last) {
            return noised;
        }
        if (noise == null) {
            throw new IllegalArgumentException("the tcd sampler needs a noise source");
        }
        float ratio = aPrev / aS;
        NDArray n = noise.next(eps.getShape());
        return noised.mul(StepLoop.sqrt(ratio)).add(n.mul(StepLoop.sqrt(1f - ratio)));
    }
}
