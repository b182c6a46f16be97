package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * One sampler run's update rule: new latents from the latents and the model's eps at step i.
 * Runs inside the step's NDScope: arrays it does not keep are freed after the step; history it keeps
 * across steps must be made with {@link StepLoop#keep} and closed in {@link #close}.
 */
interface Stepper extends AutoCloseable {
    NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise);

    @Override
    default void close() {
    }
}
