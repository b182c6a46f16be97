package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import java.util.function.Supplier;

/**
 * Called after each step with the new latents; returns the latents to continue with (the same array or
 * a replacement, e.g. the legacy inpainting blend); a replacement is owned (and later closed) by the
 * sampler. Arrays made during the call are freed at the end of the step unless returned. May throw
 * {@link java.util.concurrent.CancellationException}: the sampler then frees its state and rethrows.
 */
@FunctionalInterface
public interface StepHook {
    NDArray afterStep(int stepIndex, int steps, NDArray latents);

    /**
     * The form the sampling loop calls: as {@link #afterStep(int, int, NDArray)}, with the clean latents the
     * model predicted at this step ({@link Schedule#predictedClean}, computed only when asked; valid during
     * the call), for previews.
     */
    default NDArray afterStep(int stepIndex, int steps, NDArray latents, Supplier<NDArray> predictedClean) {
        return afterStep(stepIndex, steps, latents);
    }
}
