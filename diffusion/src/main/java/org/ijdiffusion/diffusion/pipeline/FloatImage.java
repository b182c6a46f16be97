package org.ijdiffusion.diffusion.pipeline;

import java.util.Arrays;

/**
 * The engine's plain image: planar float channels (RGB: 3 planes; mask: 1 plane), values in [0, 1].
 * Crosses module borders instead of ImagePlus or Mat.
 */
public final class FloatImage {
    private final int width;
    private final int height;
    private final int channels;
    private final float[] data;

    public FloatImage(int width, int height, int channels, float[] data) {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height + "x" + channels);
        }
        if (data.length != (long) width * height * channels) {
            throw new IllegalArgumentException("data length " + data.length + " does not match " + width + "x"
                    + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    /** From packed 0xRRGGBB pixels (alpha ignored), row-major. */
    public static FloatImage fromRgb(int width, int height, int[] rgb) {
        int n = width * height;
        float[] d = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int p = rgb[i];
            d[i] = ((p >> 16) & 0xff) / 255f;
            d[n + i] = ((p >> 8) & 0xff) / 255f;
            d[2 * n + i] = (p & 0xff) / 255f;
        }
        return new FloatImage(width, height, 3, d);
    }

    /** From 8-bit grey levels (0..255), one channel. */
    public static FloatImage fromGray(int width, int height, byte[] grey) {
        float[] d = new float[width * height];
        for (int i = 0; i < d.length; i++) {
            d[i] = (grey[i] & 0xff) / 255f;
        }
        return new FloatImage(width, height, 1, d);
    }

    /** Packed 0xRRGGBB pixels, each channel round(clamp(v,0,1) * 255) (grey images replicated). */
    public int[] toRgb() {
        int n = width * height;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int r = to8(data[i]);
            int g = channels >= 3 ? to8(data[n + i]) : r;
            int b = channels >= 3 ? to8(data[2 * n + i]) : r;
            out[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }

    /** 8-bit level of a value in [0,1]: round half to even like torch.round(x * 255). */
    public static int to8(float v) {
        float c = Math.max(0f, Math.min(1f, v));
        return (int) Math.rint(c * 255f);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** The planar data (not copied: do not modify an image you did not create). */
    public float[] data() {
        return data;
    }

    public FloatImage copy() {
        return new FloatImage(width, height, channels, Arrays.copyOf(data, data.length));
    }
}
