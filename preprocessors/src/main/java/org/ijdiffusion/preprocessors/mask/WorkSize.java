package org.ijdiffusion.preprocessors.mask;

/**
 * The size an inpaint area is generated at: both sides positive multiples of 8 (the VAE's factor).
 */
public record WorkSize(int width, int height) {
    public WorkSize {
        if (width < 8 || height < 8 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("Working size must be multiples of 8, got " + width + "x" + height);
        }
    }

    /** The nearest multiple of 8 (at least 8) to each side: whole-picture inpainting of any image size. */
    public static WorkSize nearest(int width, int height) {
        return new WorkSize(round8(width), round8(height));
    }

    /**
     * The box scaled so its short side is {@code shortSide} (the model's resolution, 512 for SD1.x),
     * the long side in proportion, both rounded to the nearest multiple of 8. Small boxes are scaled up,
     * large ones down.
     */
    public static WorkSize forBox(int boxW, int boxH, int shortSide) {
        if (shortSide < 8) {
            throw new IllegalArgumentException("Working size must be at least 8 px, got " + shortSide);
        }
        double k = shortSide / (double) Math.min(boxW, boxH);
        return new WorkSize(round8((int) Math.round(boxW * k)), round8((int) Math.round(boxH * k)));
    }

    static int round8(int v) {
        return Math.max(8, (int) Math.round(v / 8.0) * 8);
    }
}
