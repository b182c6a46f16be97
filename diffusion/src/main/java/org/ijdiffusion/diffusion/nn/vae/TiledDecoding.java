package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Decodes a latent in overlapping square tiles and blends them in image space with weights that
 * ramp linearly from the inner tile edges over the overlap (a weighted average, so every pixel's
 * weights sum to one). The image accumulates in Java arrays; one tile is on the engine at a time.
 */
final class TiledDecoding {
    private final UnaryOperator<NDArray> decoder;
    private final int tile;
    private final int overlap;

    /** {@code decoder} maps a latent tile [B, z, h, w] to [B, C, h*f, w*f] (f derived from its output). */
    TiledDecoding(UnaryOperator<NDArray> decoder, int tileLatent, int overlapLatent) {
        if (tileLatent < 1 || overlapLatent < 0 || overlapLatent >= tileLatent) {
            throw new IllegalArgumentException("Tile size must be at least 1 latent pixel and the overlap in [0, tile),"
                    + " not tile " + tileLatent + ", overlap " + overlapLatent);
        }
        this.decoder = decoder;
        this.tile = tileLatent;
        this.overlap = overlapLatent;
    }

    NDArray decode(NDArray z) {
        Shape s = z.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (h <= tile && w <= tile) {
            return decoder.apply(z);
        }
        int[] ys = starts(h);
        int[] xs = starts(w);
        float[] acc = null;
        float[] weightSum = null;
        int f = 0;
        int batchChannels = 0;
        for (int y0 : ys) {
            int th = Math.min(tile, h);
            for (int x0 : xs) {
                int tw = Math.min(tile, w);
                float[] pixels;
                long[] ds;
                try (NDArray zt = z.get(new NDIndex(":, :, {}:{}, {}:{}", y0, y0 + th, x0, x0 + tw));
                        NDArray decoded = decoder.apply(zt)) {
                    pixels = decoded.toFloatArray();
                    ds = decoded.getShape().getShape();
                }
                if (acc == null) {
                    f = (int) (ds[2] / th);
                    batchChannels = (int) (ds[0] * ds[1]);
                    acc = new float[batchChannels * h * f * w * f];
                    weightSum = new float[h * f * w * f];
                }
                float[] wy = ramp(th * f, overlap * f, y0 > 0, y0 + th < h);
                float[] wx = ramp(tw * f, overlap * f, x0 > 0, x0 + tw < w);
                add(acc, weightSum, pixels, wy, wx, y0 * f, x0 * f, w * f, h * f * w * f, batchChannels);
            }
        }
        int plane = h * f * w * f;
        for (int bc = 0; bc < batchChannels; bc++) {
            for (int i = 0; i < plane; i++) {
                acc[bc * plane + i] /= weightSum[i];
            }
        }
        return z.getManager().create(acc, new Shape(s.get(0), batchChannels / s.get(0), (long) h * f, (long) w * f));
    }

    private static void add(float[] acc, float[] weightSum, float[] tilePixels, float[] wy, float[] wx, int py,
            int px, int width, int plane, int batchChannels) {
        int th = wy.length;
        int tw = wx.length;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                float weight = wy[y] * wx[x];
                int at = (py + y) * width + px + x;
                weightSum[at] += weight;
                for (int bc = 0; bc < batchChannels; bc++) {
                    acc[bc * plane + at] += weight * tilePixels[(bc * th + y) * tw + x];
                }
            }
        }
    }

    /** Tile starts along an axis of {@code n} latent pixels: step tile-overlap, the last flush with the end. */
    int[] starts(int n) {
        if (n <= tile) {
            return new int[] {0};
        }
        List<Integer> list = new ArrayList<>();
        int step = tile - overlap;
        int start = 0;
        while (start + tile < n) {
            list.add(start);
            start += step;
        }
        list.add(n - tile);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Blend weights along one tile axis: 1 inside, ramping towards an edge that has a neighbour. */
    static float[] ramp(int length, int overlapPixels, boolean rampStart, boolean rampEnd) {
        float[] r = new float[length];
        for (int i = 0; i < length; i++) {
            float v = 1f;
            if (overlapPixels > 0 && rampStart) {
                v = Math.min(v, (i + 0.5f) / overlapPixels);
            }
            if (overlapPixels > 0 && rampEnd) {
                v = Math.min(v, (length - i - 0.5f) / overlapPixels);
            }
            r[i] = v;
        }
        return r;
    }
}
