package org.ijdiffusion.diffusion.pipeline;

import java.util.function.Supplier;

/** Told about each denoising step; asked between steps whether to stop. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() { };

    /**
     * Step {@code step} (1-based) of {@code total} finished. {@code preview} gives an RGB preview of the
     * clean image the model predicts at this step: decoded by TAESD when the model has one
     * ({@link SdModel#useTaesd}), else the cheap latent-to-RGB approximation at latent resolution
     * (computed only when called, so a listener decides how often previews cost anything).
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
