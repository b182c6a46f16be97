package org.ijdiffusion.preprocessors;

import java.util.Objects;

/**
 * A plain 8-bit RGB image crossing the module border: {@code argb[y * width + x] = 0xAARRGGBB}
 * (alpha ignored). The pixel array is owned by the image; preprocessors never write into an input.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final int[] argb;

    public RgbImage(int width, int height, int[] argb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(argb, "argb");
        if (argb.length != (long) width * height) {
            throw new IllegalArgumentException("Pixel array has " + argb.length + " entries, expected "
                    + width + "x" + height + " = " + (long) width * height);
        }
        this.width = width;
        this.height = height;
        this.argb = argb;
    }

    /** A black image. */
    public static RgbImage black(int width, int height) {
        int[] px = new int[width * height];
        java.util.Arrays.fill(px, 0xFF000000);
        return new RgbImage(width, height, px);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (not a copy). */
    public int[] argb() {
        return argb;
    }

    /** Packed 0xRRGGBB of one pixel. */
    public int rgb(int x, int y) {
        return argb[y * width + x] & 0xFFFFFF;
    }

    public RgbImage copy() {
        return new RgbImage(width, height, argb.clone());
    }
}
