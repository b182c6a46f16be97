package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.LatentDecoder;

/**
 * A cheap latent-to-RGB projection for step previews (a linear map of the 4 SD1.x latent channels,
 * the widely used approximation factors), at latent resolution. Not the VAE: a preview only.
 */
public final class LatentPreview {
    private static final float[][] FACTORS = {
        {0.298f, 0.207f, 0.208f},
        {0.187f, 0.286f, 0.173f},
        {-0.158f, 0.189f, 0.264f},
        {-0.184f, -0.271f, -0.473f},
    };

    /** The projection as a {@link LatentDecoder} ([B, 4, h, w] to [B, 3, h, w] in [0, 1], latent resolution). */
    public static final LatentDecoder APPROXIMATION = new LatentDecoder() {
        @Override
        public NDArray decode(NDArray latents) {
            long channels = Math.min(4, latents.getShape().get(1));
            float[] f = new float[(int) channels * 3];
            for (int k = 0; k < channels; k++) {
                System.arraycopy(FACTORS[k], 0, f, 3 * k, 3);
            }
            NDArray m = latents.getManager().create(f, new ai.djl.ndarray.types.Shape(channels, 3));
            NDArray x = channels == latents.getShape().get(1) ? latents : latents.get(":, 0:" + channels);
            return x.transpose(0, 2, 3, 1).matMul(m).transpose(0, 3, 1, 2).add(1f).div(2f).clip(0f, 1f);
        }

        @Override
        public String label() {
            return "latent approximation";
        }
    };

    private LatentPreview() {
    }

    /** The first image of {@code decoder}'s output for a [B, C, h, w] latent batch, as a FloatImage. */
    public static FloatImage first(LatentDecoder decoder, NDArray latents) {
        NDArray img = decoder.decode(latents.get("0:1")).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        long[] s = img.getShape().getShape();
        return new FloatImage((int) s[3], (int) s[2], 3, img.toFloatArray());
    }

    /** First image of a [B,4,h,w] latent batch as RGB in [0,1]. */
    public static FloatImage of(NDArray latents) {
        long[] s = latents.getShape().getShape();
        int h = (int) s[2];
        int w = (int) s[3];
        int n = h * w;
        float[] lat = latents.get(0).toFloatArray();
        float[] rgb = new float[3 * n];
        int channels = (int) Math.min(4, s[1]);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                float v = 0;
                for (int k = 0; k < channels; k++) {
                    v += lat[k * n + i] * FACTORS[k][c];
                }
                rgb[c * n + i] = Math.max(0f, Math.min(1f, (v + 1f) / 2f));
            }
        }
        return new FloatImage(w, h, 3, rgb);
    }
}
