package org.ijdiffusion.preprocessors;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** PNG/JPEG (anything javax.imageio reads) to and from {@link RgbImage}. */
public final class ImageFiles {
    private ImageFiles() {
    }

    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Image file not found: " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("Not a readable image (PNG, JPEG, BMP, GIF expected): " + file);
        }
        return fromBufferedImage(img);
    }

    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            px[i] |= 0xFF000000;
        }
        return new RgbImage(w, h, px);
    }

    public static BufferedImage toBufferedImage(RgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, img.width(), img.height(), img.argb(), 0, img.width());
        return out;
    }

    /** Writes PNG unless the name ends in .jpg/.jpeg. */
    public static void write(RgbImage img, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg" : "png";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(toBufferedImage(img), format, file.toFile())) {
            throw new IOException("No image writer for " + format);
        }
    }
}
