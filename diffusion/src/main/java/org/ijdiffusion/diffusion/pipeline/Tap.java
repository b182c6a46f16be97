package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/**
 * Sees the named intermediate tensors of a run (prompt embeddings, noise, VAE encodings, latents):
 * for tests and debugging. At {@code vae_encode_mean_K} (K-th VAE encode of the run) the returned array replaces the computed one,
 * so a test can run the rest of the pipeline on a reference's own encoding.
 */
@FunctionalInterface
public interface Tap {
    Tap NONE = (name, value) -> value;

    /** {@code value} is only valid during the call (copy what you keep); return it, or a replacement. */
    NDArray tensor(String name, NDArray value);
}
