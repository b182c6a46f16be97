package org.ijdiffusion.plugin.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.ijdiffusion.plugin.io.StoredImage.Kind;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * The one image reader of every command: PNG, JPEG, BMP, GIF, TIFF (what javax.imageio decodes) to a
 * {@link StoredImage} holding the samples as stored. The size is read from the header first and an
 * image above {@link #maxPixels()} is refused before anything is decoded. The samples come from the
 * decoded raster, never through ImageIO's colour conversion ({@code getRGB} turns grey into sRGB and
 * changes every level). CMYK images are refused: turning CMYK into RGB needs the printer profile it was
 * made for, and a guess would be silently wrong.
 */
public final class ImageInput {
    /** The system property that raises (or lowers) the pixel limit. */
    public static final String MAX_PIXELS_PROPERTY = "ijdiffusion.maxImagePixels";
    /** 100 megapixels (e.g. 12000x8000); PIL warns of a decompression bomb at 89 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private ImageInput() {
    }

    /** The pixel limit: {@value #MAX_PIXELS_PROPERTY} when set, else {@link #DEFAULT_MAX_PIXELS}. */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + MAX_PIXELS_PROPERTY + " must be a positive whole number (got '" + v + "')");
    }

    /** The file as 8-bit RGB for the engine ({@link StoredImage#toRgb()}). */
    public static RgbImage readRgb(Path file) throws IOException {
        return read(file).toRgb();
    }

    /** The file's samples as stored, within the default pixel limit. */
    public static StoredImage read(Path file) throws IOException {
        return read(file, maxPixels());
    }

    /** {width, height} from the header only. */
    public static int[] dimensions(Path file) throws IOException {
        try (Opened o = open(file)) {
            return new int[] {o.reader.getWidth(0), o.reader.getHeight(0)};
        }
    }

    /**
     * The file's samples as stored. IOException with a one-line message for a missing, unreadable,
     * too large or unsupported file.
     */
    public static StoredImage read(Path file, long maxPixels) throws IOException {
        try (Opened o = open(file)) {
            int w = o.reader.getWidth(0);
            int h = o.reader.getHeight(0);
            long pixels = (long) w * h;
            if (w <= 0 || h <= 0) {
                throw new IOException(file + ": the header gives an image size of " + w + "x" + h);
            }
            if (pixels > maxPixels) {
                throw new IOException(String.format(Locale.ROOT, "%s is %dx%d = %.1f megapixels, above the limit of "
                        + "%.1f megapixels (raise it with -D%s=N, e.g. in IJD_JAVA_OPTS)", file, w, h, pixels / 1e6,
                        maxPixels / 1e6, MAX_PIXELS_PROPERTY));
            }
            BufferedImage img;
            try {
                img = o.reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + ": cannot decode this " + o.format + " file (" + e.getMessage() + ")"
                        + cmykHint(e), e);
            }
            return stored(img, file.toString());
        }
    }

    private static String cmykHint(Exception e) {
        return String.valueOf(e.getMessage()).contains("Unsupported Image Type")
                ? "; CMYK/YCCK JPEGs are not read: convert the file to RGB first" : "";
    }

    /**
     * An image already in memory (a SciJava input) as stored: its raster, not its getRGB colours.
     * IllegalArgumentException for a kind that is not read (CMYK, float samples).
     */
    public static StoredImage fromBufferedImage(BufferedImage img) {
        try {
            return stored(img, "the image");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The raster of a decoded image in one of the stored kinds; {@code file} names it in messages. */
    static StoredImage stored(BufferedImage img, String file) throws IOException {
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return palette(icm, r);
        }
        int type = cm.getColorSpace().getType();
        boolean grey = type == ColorSpace.TYPE_GRAY;
        if (type == ColorSpace.TYPE_CMYK || type == ColorSpace.TYPE_CMY) {
            throw new IOException(file + " is a CMYK image: CMYK is not read, because its RGB depends on the printer "
                    + "profile it was made for. Convert it to RGB first (e.g. ImageJ, GIMP, or "
                    + "'convert IN -colorspace sRGB OUT.png').");
        }
        if (!grey && type != ColorSpace.TYPE_RGB) {
            throw new IOException(file + ": colour space type " + type + " is not supported (grey or RGB expected)");
        }
        int colours = grey ? 1 : 3;
        if (cm.getNumColorComponents() != colours || r.getNumBands() != cm.getNumComponents()) {
            throw new IOException(file + ": " + r.getNumBands() + " samples per pixel are not supported");
        }
        int maxBits = 0;
        for (int b = 0; b < cm.getNumComponents(); b++) {
            maxBits = Math.max(maxBits, cm.getComponentSize(b));
        }
        if (maxBits > 16 || r.getTransferType() == java.awt.image.DataBuffer.TYPE_FLOAT
                || r.getTransferType() == java.awt.image.DataBuffer.TYPE_DOUBLE) {
            throw new IOException(file + ": " + maxBits + "-bit or floating-point samples are not supported (8 or 16 bits)");
        }
        boolean alpha = cm.hasAlpha();
        Kind kind = grey ? (alpha ? Kind.GREY_ALPHA : Kind.GREY) : (alpha ? Kind.RGBA : Kind.RGB);
        int bits = maxBits > 8 ? 16 : 8;
        StoredImage out = StoredImage.blank(kind, bits, r.getWidth(), r.getHeight());
        int[] row = new int[r.getWidth()];
        int target = (1 << bits) - 1;
        for (int b = 0; b < kind.bands(); b++) {
            int size = cm.getComponentSize(b);
            int max = (1 << size) - 1;
            for (int y = 0; y < r.getHeight(); y++) {
                r.getSamples(0, y, r.getWidth(), 1, b, row);
                for (int x = 0; x < row.length; x++) {
                    // stored values at 8 or 16 bits are kept; fewer bits (1/2/4-bit grey, 5-bit BMP) scale to full range
                    int v = size == bits ? row[x] : (int) ((row[x] * (long) target + max / 2) / max);
                    out.setSample(x, y, b, v);
                }
            }
        }
        return out;
    }

    /** A palette resolved to its entries; a palette of greys only (1/2/4-bit grey PNGs decode so) gives grey. */
    private static StoredImage palette(IndexColorModel icm, Raster r) {
        boolean alpha = icm.hasAlpha();
        boolean grey = true;
        for (int i = 0; i < icm.getMapSize(); i++) {
            grey &= icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
        }
        Kind kind = grey ? (alpha ? Kind.GREY_ALPHA : Kind.GREY) : (alpha ? Kind.RGBA : Kind.RGB);
        StoredImage out = StoredImage.blank(kind, 8, r.getWidth(), r.getHeight());
        int[] row = new int[r.getWidth()];
        for (int y = 0; y < r.getHeight(); y++) {
            r.getSamples(0, y, r.getWidth(), 1, 0, row);
            for (int x = 0; x < row.length; x++) {
                int i = row[x];
                out.setSample(x, y, 0, icm.getRed(i));
                if (!grey) {
                    out.setSample(x, y, 1, icm.getGreen(i));
                    out.setSample(x, y, 2, icm.getBlue(i));
                }
                if (alpha) {
                    out.setSample(x, y, kind.bands() - 1, icm.getAlpha(i));
                }
            }
        }
        return out;
    }

    /** A reader on the file's first image, positioned at the header. */
    private static Opened open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("Image file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("Not a regular file (an image file expected): " + file);
        }
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new IOException("Cannot open " + file);
        }
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        if (!it.hasNext()) {
            in.close();
            throw new IOException("Not a readable image (PNG, JPEG, BMP, GIF, TIFF expected): " + file);
        }
        ImageReader reader = it.next();
        reader.setInput(in, true, true);
        String format;
        try {
            format = reader.getFormatName().toUpperCase(Locale.ROOT);
            reader.getWidth(0); // the header must be readable
        } catch (IOException | RuntimeException e) {
            reader.dispose();
            in.close();
            throw new IOException(file + ": not a readable image (" + e.getMessage() + ")", e);
        }
        return new Opened(reader, in, format);
    }

    private record Opened(ImageReader reader, ImageInputStream in, String format) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            reader.dispose();
            in.close();
        }
    }
}
