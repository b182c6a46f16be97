package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Latent Consistency Model multistep sampling (diffusers LCMScheduler, epsilon prediction): the
 * consistency function {@code c_skip * x + c_out * x0} with the discrete boundary condition
 * (sigma_data 0.5, timestep scaling 10), then fresh noise up to the next timestep. Draws one noise
 * tensor after every step but the last, as the reference.
 */
final class LcmStep implements Stepper {
    static final float TIMESTEP_SCALING = 10f;
    static final float SIGMA_DATA_SQUARED = 0.25f;

    private final Schedule s;

    LcmStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        int t = (int) s.timestep(i);
        float a = s.alphaCumprod(t);
        NDArray x0 = x.sub(eps.mul(StepLoop.sqrt(1f - a))).div(StepLoop.sqrt(a));
        float scaled = t * TIMESTEP_SCALING;
        float d = scaled * scaled + SIGMA_DATA_SQUARED;
        float cSkip = SIGMA_DATA_SQUARED / d;
        float cOut = scaled / StepLoop.sqrt(d);
        NDArray denoised = x0.mul(cOut).add(x.mul(cSkip));
        if (i == s.steps() - 1) {
            return denoised;
        }
        if (noise == null) {
            throw new IllegalArgumentException("the lcm sampler needs a noise source");
        }
        float aPrev = s.alphaCumprod((int) s.timestep(i + 1));
        NDArray n = noise.next(eps.getShape());
        return denoised.mul(StepLoop.sqrt(aPrev)).add(n.mul(StepLoop.sqrt(1f - aPrev)));
    }
}
