package org.ijdiffusion.plugin.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.util.Objects;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.CropBox;
import org.ijdiffusion.preprocessors.mask.Mask;

/**
 * An image file's samples as stored: grey, grey+alpha, RGB or RGBA at 8 or 16 bits per sample (a
 * palette is resolved to its RGB(A) entries, 1/2/4-bit grey is scaled to 8 bits), in an interleaved
 * raster. Read with {@link ImageInput}; no colour-space or gamma conversion was applied.
 *
 * <p>For the engine, {@link #toRgb()} gives 8-bit RGB: grey is repeated in R, G and B, 16-bit samples
 * are rounded to v/257, alpha is left out. Back in the file's own kind, {@link #paste} blends a
 * generated area in at the source's precision, so every pixel outside the mask keeps its stored values.
 */
public final class StoredImage {
    /** The channels of a stored image. */
    public enum Kind {
        GREY(1, false), GREY_ALPHA(2, true), RGB(3, false), RGBA(4, true);

        private final int bands;
        private final boolean alpha;

        Kind(int bands, boolean alpha) {
            this.bands = bands;
            this.alpha = alpha;
        }

        public int bands() {
            return bands;
        }

        public boolean hasAlpha() {
            return alpha;
        }

        public boolean isGrey() {
            return this == GREY || this == GREY_ALPHA;
        }
    }

    private final Kind kind;
    private final int bits;
    private final WritableRaster raster;

    /** {@code raster}: interleaved, {@code kind.bands()} bands, TYPE_BYTE (8 bits) or TYPE_USHORT (16 bits). */
    public StoredImage(Kind kind, int bits, WritableRaster raster) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (bits != 8 && bits != 16) {
            throw new IllegalArgumentException("8 or 16 bits per sample, not " + bits);
        }
        if (raster.getNumBands() != kind.bands()
                || raster.getTransferType() != (bits == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT)) {
            throw new IllegalArgumentException("the raster does not hold " + kind + " at " + bits + " bits");
        }
        this.bits = bits;
        this.raster = raster;
    }

    /** A new image of that kind, all samples 0. */
    public static StoredImage blank(Kind kind, int bits, int width, int height) {
        return new StoredImage(kind, bits, colorModel(kind, bits).createCompatibleWritableRaster(width, height));
    }

    public Kind kind() {
        return kind;
    }

    /** 8 or 16. */
    public int bits() {
        return bits;
    }

    public int width() {
        return raster.getWidth();
    }

    public int height() {
        return raster.getHeight();
    }

    /** One stored sample (band 0 = grey or red; the last band is alpha when there is one). */
    public int sample(int x, int y, int band) {
        return raster.getSample(x, y, band);
    }

    public void setSample(int x, int y, int band, int value) {
        raster.setSample(x, y, band, value);
    }

    /** "16-bit grey+alpha" etc. */
    public String describe() {
        return bits + "-bit " + switch (kind) {
            case GREY -> "grey";
            case GREY_ALPHA -> "grey+alpha";
            case RGB -> "RGB";
            case RGBA -> "RGBA";
        };
    }

    /** 8-bit RGB for the engine (grey repeated, 16 bits rounded to v/257, alpha left out). */
    public RgbImage toRgb() {
        int w = width();
        int h = height();
        int[] px = new int[w * h];
        int[] row = new int[w * kind.bands()];
        int n = kind.bands();
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int r = to8(row[x * n]);
                int g = kind.isGrey() ? r : to8(row[x * n + 1]);
                int b = kind.isGrey() ? r : to8(row[x * n + 2]);
                px[y * w + x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        return new RgbImage(w, h, px);
    }

    private int to8(int v) {
        return bits == 8 ? v : (v * 255 + 32767) / 65535;
    }

    /**
     * A new image of this kind: this one with {@code generated} (8-bit RGB of {@code box}'s size) blended
     * into {@code box} by {@code mask} (this image's size): out = src + (gen - src) * m / 255, rounded, in
     * this image's own units (16-bit: gen * 257; grey: the Rec. 601 luma of gen; alpha stays the
     * source's). Where the mask is 0 every sample is the source's, bit for bit.
     */
    public StoredImage paste(RgbImage generated, CropBox box, Mask mask) {
        if (mask.width() != width() || mask.height() != height()) {
            throw new IllegalArgumentException("the mask is " + mask.width() + "x" + mask.height() + " but the image is "
                    + width() + "x" + height());
        }
        if (generated.width() != box.width() || generated.height() != box.height() || box.x() < 0 || box.y() < 0
                || box.x() + box.width() > width() || box.y() + box.height() > height()) {
            throw new IllegalArgumentException("the generated area " + generated.width() + "x" + generated.height()
                    + " does not fit box " + box + " of the " + width() + "x" + height() + " image");
        }
        WritableRaster out = raster.createCompatibleWritableRaster();
        out.setRect(raster);
        int colours = kind.hasAlpha() ? kind.bands() - 1 : kind.bands();
        for (int y = 0; y < box.height(); y++) {
            for (int x = 0; x < box.width(); x++) {
                int sx = box.x() + x;
                int sy = box.y() + y;
                int m = mask.values()[sy * width() + sx] & 0xff;
                if (m == 0) {
                    continue;
                }
                int rgb = generated.rgb(x, y);
                for (int band = 0; band < colours; band++) {
                    int s = raster.getSample(sx, sy, band);
                    out.setSample(sx, sy, band, mix(s, generatedSample(rgb, band), m));
                }
            }
        }
        return new StoredImage(kind, bits, out);
    }

    /** The generated pixel in this image's units: a channel (or the grey level) at 8 or 16 bits. */
    private int generatedSample(int rgb, int band) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (kind.isGrey()) {
            double luma = 0.299 * r + 0.587 * g + 0.114 * b;
            return (int) Math.round(bits == 8 ? luma : luma * 257);
        }
        int v = band == 0 ? r : band == 1 ? g : b;
        return bits == 8 ? v : v * 257;
    }

    private int mix(int s, int g, int m) {
        if (bits == 8) {
            return s + Math.round((g - s) * m / 255f); // as PasteBack.blend, so 8-bit RGB gives the same result
        }
        return (int) (s + Math.round((g - s) * (double) m / 255));
    }

    /** A BufferedImage of this kind over a copy of the samples (a PNG writer writes it in the same kind). */
    public BufferedImage toBufferedImage() {
        WritableRaster copy = raster.createCompatibleWritableRaster();
        copy.setRect(raster);
        return new BufferedImage(colorModel(kind, bits), copy, false, null);
    }

    private static ComponentColorModel colorModel(Kind kind, int bits) {
        ColorSpace cs = ColorSpace.getInstance(kind.isGrey() ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        return new ComponentColorModel(cs, kind.hasAlpha(), false,
                kind.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                bits == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
    }
}
