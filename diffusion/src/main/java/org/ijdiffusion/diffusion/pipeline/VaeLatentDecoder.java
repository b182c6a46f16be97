package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.ijdiffusion.diffusion.nn.LatentDecoder;
import org.ijdiffusion.diffusion.nn.vae.Vae;

/**
 * The final decode with the model's VAE: {@code vae.decode(latents / 0.18215)} (in tiles above
 * {@link Vae#TILED_ABOVE_LATENT_PIXELS}), then {@code clamp(x / 2 + 0.5, 0, 1)} as float32.
 */
final class VaeLatentDecoder implements LatentDecoder {
    private final Vae vae;
    private final Tap tap;

    VaeLatentDecoder(Vae vae, Tap tap) {
        this.vae = vae;
        this.tap = tap;
    }

    @Override
    public NDArray decode(NDArray latents) {
        NDArray decoded = vae.decodeBounded(latents.div(SdModel.SCALING));
        tap.tensor("decoded", decoded);
        return decoded.div(2f).add(0.5f).clip(0f, 1f).toType(DataType.FLOAT32, false);
    }

    @Override
    public String label() {
        return "VAE";
    }
}
