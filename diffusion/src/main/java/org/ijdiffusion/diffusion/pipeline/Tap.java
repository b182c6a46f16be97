package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/** Sees the named intermediate tensors of a run (prompt embeddings, noise, latents): for tests and debugging. */
@FunctionalInterface
public interface Tap {
    Tap NONE = (name, value) -> { };

    /** {@code value} is only valid during the call; copy what you keep. */
    void tensor(String name, NDArray value);
}
