package org.ijdiffusion.diffusion.pipeline;

import java.util.function.Supplier;

/** Told about each denoising step; asked between steps whether to stop. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() { };

    /**
     * Step {@code step} (1-based) of {@code total} finished. {@code preview} gives a cheap RGB
     * approximation of the current latents (computed only when called).
     */
    default void onStep(int step, int total, double secondsPerStep, Supplier<FloatImage> preview) {
    }

    /** A stage that is not a denoising step ("Encoding prompt", "Decoding"). */
    default void onStage(String stage) {
    }

    /** Polled between steps; true stops the generation promptly with nothing written. */
    default boolean isCancelled() {
        return false;
    }
}
