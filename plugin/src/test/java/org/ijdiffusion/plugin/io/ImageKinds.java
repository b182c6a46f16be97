package org.ijdiffusion.plugin.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Test images of every stored kind, written with ImageIO's own writers from raw rasters, and the
 * samples a reader must give back (for JPEG: the decoder's raster, the stored meaning of a JPEG).
 */
public enum ImageKinds {
    GREY8("png", "8-bit grey"), GREY16("png", "16-bit grey"), GREY_ALPHA8("png", "8-bit grey+alpha"),
    GREY_ALPHA16("png", "16-bit grey+alpha"), GREY1("png", "8-bit grey"), PALETTE("png", "8-bit RGB"),
    PALETTE_ALPHA("png", "8-bit RGBA"), RGB8("png", "8-bit RGB"), RGB16("png", "16-bit RGB"),
    RGBA8("png", "8-bit RGBA"), RGBA16("png", "16-bit RGBA"), GREY_JPEG("jpg", "8-bit grey"),
    RGB_JPEG("jpg", "8-bit RGB");

    private final String format;
    /** What {@link StoredImage#describe()} must say after reading. */
    public final String readsAs;

    ImageKinds(String format, String readsAs) {
        this.format = format;
        this.readsAs = readsAs;
    }

    /** A sample that tells levels apart (16 bits: the low byte is not v/257's). */
    static int pattern(int x, int y, int band, int bits) {
        int v = x * 7919 + y * 104729 + band * 31337 + x * y * 13;
        return bits == 16 ? v & 0xffff : bits == 1 ? (x + y + band) % 3 == 0 ? 1 : 0 : (v ^ (v >> 7)) & 0xff;
    }

    /** Writes the image; returns the samples a reader must give (bands as in {@link StoredImage}). */
    public Raster write(Path file, int w, int h) throws IOException {
        BufferedImage img = switch (this) {
            case GREY8 -> component(ColorSpace.CS_GRAY, false, 8, w, h);
            case GREY16 -> component(ColorSpace.CS_GRAY, false, 16, w, h);
            case GREY_ALPHA8 -> component(ColorSpace.CS_GRAY, true, 8, w, h);
            case GREY_ALPHA16 -> component(ColorSpace.CS_GRAY, true, 16, w, h);
            case RGB8, RGB_JPEG -> component(ColorSpace.CS_sRGB, false, 8, w, h);
            case RGB16 -> component(ColorSpace.CS_sRGB, false, 16, w, h);
            case RGBA8 -> component(ColorSpace.CS_sRGB, true, 8, w, h);
            case RGBA16 -> component(ColorSpace.CS_sRGB, true, 16, w, h);
            case GREY_JPEG -> component(ColorSpace.CS_GRAY, false, 8, w, h);
            case GREY1 -> binary(w, h);
            case PALETTE, PALETTE_ALPHA -> palette(this == PALETTE_ALPHA, w, h);
        };
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
            writer.setOutput(out);
            writer.write(new IIOImage(img, null, null));
            writer.dispose();
        }
        if (format.equals("jpg")) {
            return ImageIO.read(file.toFile()).getRaster(); // lossy: the decoded samples are the stored ones
        }
        return expected(img);
    }

    /** The samples of what was written, as the reader gives them (palette resolved, 1-bit scaled to 0/255). */
    private Raster expected(BufferedImage img) {
        if (this == GREY1) {
            WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, img.getWidth(), img.getHeight(), 1, null);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    r.setSample(x, y, 0, img.getRaster().getSample(x, y, 0) * 255);
                }
            }
            return r;
        }
        if (img.getColorModel() instanceof IndexColorModel icm) {
            int bands = icm.hasAlpha() ? 4 : 3;
            WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, img.getWidth(), img.getHeight(), bands, null);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int i = img.getRaster().getSample(x, y, 0);
                    int[] v = {icm.getRed(i), icm.getGreen(i), icm.getBlue(i), icm.getAlpha(i)};
                    for (int b = 0; b < bands; b++) {
                        r.setSample(x, y, b, v[b]);
                    }
                }
            }
            return r;
        }
        return img.getRaster();
    }

    private static BufferedImage component(int space, boolean alpha, int bits, int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(space), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                bits == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < r.getNumBands(); b++) {
                    r.setSample(x, y, b, pattern(x, y, b, bits));
                }
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    private static BufferedImage binary(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, pattern(x, y, 0, 1));
            }
        }
        return img;
    }

    private static BufferedImage palette(boolean alpha, int w, int h) {
        int n = 200;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (i * 37);
            g[i] = (byte) (255 - i);
            b[i] = (byte) (i * i);
            a[i] = (byte) (alpha ? i * 11 : 255);
        }
        IndexColorModel icm = alpha ? new IndexColorModel(8, n, r, g, b, a) : new IndexColorModel(8, n, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 31 + y * 17) % n);
            }
        }
        return img;
    }

    /** A CMYK JPEG (4 components), as print workflows make them. */
    public static void writeCmykJpeg(Path file, int w, int h) throws IOException {
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < 4; b++) {
                    cmyk.setSample(x, y, b, pattern(x, y, b, 8));
                }
            }
        }
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            writer.setOutput(out);
            writer.write(new IIOImage(cmyk, null, null));
            writer.dispose();
        }
    }
}
