package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;

/**
 * The encoder's diagonal Gaussian over latents: {@code mean} and {@code logvar} (clamped to
 * [-30, 20] as LDM and diffusers do), each [B, z, H/f, W/f], unscaled (the pipeline applies the
 * 0.18215 scaling factor). Owned by the manager of the encoded image; close when done.
 */
public record Gaussian(NDArray mean, NDArray logvar) implements AutoCloseable {
    /** Standard deviation exp(logvar / 2). */
    public NDArray std() {
        return logvar.mul(0.5f).exp();
    }

    /** mean + std * noise, with {@code noise} of the mean's shape (standard normal). */
    public NDArray sample(NDArray noise) {
        if (!noise.getShape().equals(mean.getShape())) {
            throw new IllegalArgumentException("Noise shape " + noise.getShape() + " differs from the latent shape "
                    + mean.getShape());
        }
        try (NDArray std = std(); NDArray scaled = std.mul(noise)) {
            return mean.add(scaled);
        }
    }

    @Override
    public void close() {
        mean.close();
        logvar.close();
    }
}
