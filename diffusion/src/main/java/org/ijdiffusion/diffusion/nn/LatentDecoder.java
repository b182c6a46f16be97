package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * Latents to pixels: what the final decode (the VAE, or TAESD as a draft) and the step previews (TAESD,
 * or a linear latent-to-RGB approximation) have in common. The latents are those the sampler works on
 * (SD1.x: the VAE latents times the scaling factor 0.18215); the result is RGB in [0, 1], at the
 * decoder's resolution (the approximation stays at latent resolution), in the input's manager.
 */
public interface LatentDecoder {
    /** [B, latent channels, h, w] to [B, 3, H, W] clamped to [0, 1]. */
    NDArray decode(NDArray latents);

    /** For messages and reports: "VAE", "TAESD", "latent approximation". */
    String label();
}
