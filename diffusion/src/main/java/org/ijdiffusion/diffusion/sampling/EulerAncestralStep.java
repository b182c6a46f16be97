package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Euler ancestral (diffusers EulerAncestralDiscreteScheduler): a deterministic step down to sigma_down,
 * then fresh noise of size sigma_up. Draws one noise tensor per step, also at the last step (where
 * sigma_up is 0), so the draw order equals the reference's.
 */
final class EulerAncestralStep implements Stepper {
    private final Schedule s;

    EulerAncestralStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        if (noise == null) {
            throw new IllegalArgumentException("the euler_a sampler needs a noise source");
        }
        float from = s.sigmaF(i);
        float to = s.sigmaF(i + 1);
        NDArray x0 = x.sub(eps.mul(from));
        float up = StepLoop.sqrt(Math.max(0f, to * to * (from * from - to * to) / (from * from)));
        float down = StepLoop.sqrt(Math.max(0f, to * to - up * up));
        NDArray derivative = x.sub(x0).div(from);
        float dt = down - from;
        NDArray prev = x.add(derivative.mul(dt));
        NDArray n = noise.next(eps.getShape());
        return prev.add(n.mul(up));
    }
}
