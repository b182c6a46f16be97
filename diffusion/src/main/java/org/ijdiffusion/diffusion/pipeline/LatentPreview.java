package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

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

    private LatentPreview() {
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
