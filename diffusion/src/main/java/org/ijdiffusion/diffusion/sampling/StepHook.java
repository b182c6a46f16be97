package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Called after each step with the new latents; returns the latents to continue with (the same array or
 * a replacement, e.g. the legacy inpainting blend). May throw {@link java.util.concurrent.CancellationException}.
 */
@FunctionalInterface
public interface StepHook {
    NDArray afterStep(int stepIndex, int steps, NDArray latents);
}
