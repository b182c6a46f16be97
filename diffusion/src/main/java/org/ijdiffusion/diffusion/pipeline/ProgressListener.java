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

    /**
     * Something in the request was removed or read differently than the user may expect (an unsupported
     * prompt tag, ...). The default prints it on stderr, so no listener drops it silently.
     */
    default void onWarning(String message) {
        System.err.println("warning: " + message);
    }

    /** Polled between steps; true stops the generation promptly with nothing written. */
    default boolean isCancelled() {
        return false;
    }
}
