package org.ijdiffusion.preprocessors.mask;

/**
 * The "only masked" inpaint area: a rectangle of the source image (x, y, width, height) that is cut
 * out, generated at the working size and pasted back.
 */
public record CropBox(int x, int y, int width, int height) {
    static final int MULTIPLE = 8;

    public CropBox {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Crop box size must be positive, got " + width + "x" + height);
        }
    }

    /**
     * The box around the non-zero mask pixels, padded by {@code padding} and clamped to the image,
     * enlarged to the working aspect {@code workW:workH} (as A1111 does), then to multiples of 8,
     * shifted and clamped to stay inside the image. Null when the mask is empty.
     */
    public static CropBox onlyMasked(Mask mask, int padding, int workW, int workH) {
        if (padding < 0 || workW <= 0 || workH <= 0) {
            throw new IllegalArgumentException("Need padding >= 0 and a positive working size, got padding "
                    + padding + ", " + workW + "x" + workH);
        }
        CropBox p = around(mask, padding);
        if (p == null) {
            return null;
        }
        int w = mask.width();
        int h = mask.height();
        int x1 = p.x();
        int y1 = p.y();
        int x2 = p.x() + p.width();
        int y2 = p.y() + p.height();
        double boxRatio = (x2 - x1) / (double) (y2 - y1);
        double workRatio = workW / (double) workH;
        int[] xs = {x1, x2};
        int[] ys = {y1, y2};
        if (boxRatio > workRatio) {
            grow(ys, (int) ((x2 - x1) / workRatio - (y2 - y1)), h);
        } else {
            grow(xs, (int) ((y2 - y1) * workRatio - (x2 - x1)), w);
        }
        grow(xs, (MULTIPLE - (xs[1] - xs[0]) % MULTIPLE) % MULTIPLE, w);
        grow(ys, (MULTIPLE - (ys[1] - ys[0]) % MULTIPLE) % MULTIPLE, h);
        return new CropBox(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0]);
    }

    /** The whole {@code width x height} image ("Inpaint area: Whole picture"). */
    public static CropBox whole(int width, int height) {
        return new CropBox(0, 0, width, height);
    }

    /** The box around the non-zero mask pixels padded by {@code padding}, clamped to the image; null when empty. */
    public static CropBox around(Mask mask, int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("Padding must be >= 0 px, got " + padding);
        }
        int[] b = bounds(mask);
        if (b == null) {
            return null;
        }
        int x1 = Math.max(b[0] - padding, 0);
        int y1 = Math.max(b[1] - padding, 0);
        int x2 = Math.min(b[2] + padding, mask.width());
        int y2 = Math.min(b[3] + padding, mask.height());
        return new CropBox(x1, y1, x2 - x1, y2 - y1);
    }

    /**
     * This box in an image of another size (a control map at its own resolution): every edge scaled
     * by the size ratio, rounded, at least one pixel.
     */
    public CropBox scaledTo(int fromW, int fromH, int toW, int toH) {
        if (fromW == toW && fromH == toH) {
            return this;
        }
        double sx = toW / (double) fromW;
        double sy = toH / (double) fromH;
        int x1 = Math.min(toW - 1, (int) Math.round(x * sx));
        int y1 = Math.min(toH - 1, (int) Math.round(y * sy));
        int x2 = Math.max(x1 + 1, Math.min(toW, (int) Math.round((x + width) * sx)));
        int y2 = Math.max(y1 + 1, Math.min(toH, (int) Math.round((y + height) * sy)));
        return new CropBox(x1, y1, x2 - x1, y2 - y1);
    }

    /** {x1, y1, x2, y2} (exclusive ends) of the non-zero pixels, or null. */
    static int[] bounds(Mask m) {
        int x1 = Integer.MAX_VALUE;
        int y1 = Integer.MAX_VALUE;
        int x2 = -1;
        int y2 = -1;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.at(x, y) != 0) {
                    x1 = Math.min(x1, x);
                    x2 = Math.max(x2, x);
                    y1 = Math.min(y1, y);
                    y2 = Math.max(y2, y);
                }
            }
        }
        return x2 < 0 ? null : new int[] {x1, y1, x2 + 1, y2 + 1};
    }

    /** Widens [lo, hi) by {@code extra} (half each side), shifted back inside [0, limit), clamped. */
    private static void grow(int[] span, int extra, int limit) {
        if (extra <= 0) {
            return;
        }
        int lo = span[0] - extra / 2;
        int hi = span[1] + extra - extra / 2;
        if (hi > limit) {
            lo -= hi - limit;
            hi = limit;
        }
        if (lo < 0) {
            hi = Math.min(limit, hi - lo);
            lo = 0;
        }
        span[0] = lo;
        span[1] = hi;
    }
}
