package org.ijdiffusion.preprocessors.mask;

import java.util.Objects;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * An 8-bit inpaint mask: {@code values[y * width + x]} (unsigned) is how much of the generated
 * image replaces the source, 0 = keep the source, 255 = fully replaced. Treated as immutable.
 */
public final class Mask {
    private final int width;
    private final int height;
    private final byte[] values;

    public Mask(int width, int height, byte[] values) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Mask size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(values, "values");
        if (values.length != (long) width * height) {
            throw new IllegalArgumentException("Mask has " + values.length + " values, expected " + width + "x"
                    + height);
        }
        this.width = width;
        this.height = height;
        this.values = values;
    }

    /** From an 8-bit image: its grey level (ITU-R 601 luma, as a PIL "L" conversion). */
    public static Mask fromImage(RgbImage img) {
        int[] px = img.argb();
        byte[] v = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            int r = (px[i] >> 16) & 0xFF;
            int g = (px[i] >> 8) & 0xFF;
            int b = px[i] & 0xFF;
            v[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return new Mask(img.width(), img.height(), v);
    }

    /** 255 inside the rectangle, 0 elsewhere. */
    public static Mask rectangle(int width, int height, int x, int y, int w, int h) {
        byte[] v = new byte[width * height];
        for (int yy = Math.max(0, y); yy < Math.min(height, y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(width, x + w); xx++) {
                v[yy * width + xx] = (byte) 255;
            }
        }
        return new Mask(width, height, v);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (not a copy): do not modify. */
    public byte[] values() {
        return values;
    }

    /** Value 0..255 at (x, y). */
    public int at(int x, int y) {
        return values[y * width + x] & 0xFF;
    }

    public boolean isEmpty() {
        for (byte b : values) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The mask as a grey image (for display or saving). */
    public RgbImage toImage() {
        int[] px = new int[values.length];
        for (int i = 0; i < px.length; i++) {
            int v = values[i] & 0xFF;
            px[i] = 0xFF000000 | (v << 16) | (v << 8) | v;
        }
        return new RgbImage(width, height, px);
    }
}
