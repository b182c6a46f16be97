package org.ijdiffusion.plugin.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.ijdiffusion.diffusion.io.AtomicFiles;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * The one output writer of every command (CLI and ImageJ): each file is written to a temporary file
 * in its folder, synced and renamed into place ({@link AtomicFiles}), so a failure, a full disk or a
 * kill never leaves a broken file at the target. Check outputs against inputs first with
 * {@link OutputClash#check}.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Any content. */
    public static void write(Path target, AtomicFiles.Body body) throws IOException {
        AtomicFiles.write(target, body);
    }

    /** A file made by a writer that wants a path (it gets a temporary one beside the target). */
    public static void writeVia(Path target, AtomicFiles.FileBody body) throws IOException {
        AtomicFiles.writeVia(target, body);
    }

    /** Text as UTF-8 (JSON, infotext). */
    public static void writeString(Path target, String text) throws IOException {
        AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A PNG with A1111's "parameters" text chunk (none when null). */
    public static void writePng(BufferedImage img, String parameters, Path target) throws IOException {
        PngFiles.writePng(img, parameters, target);
    }

    /** An image as JPEG when the name ends in .jpg/.jpeg, else as PNG. */
    public static void writeImage(BufferedImage img, Path target) throws IOException {
        String format = isJpeg(target) ? "jpg" : "png";
        AtomicFiles.write(target, out -> {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(img, format, ios)) {
                    throw new IOException("no " + format + " writer for this kind of image (" + target + ")");
                }
            }
        });
    }

    /** An 8-bit RGB image as JPEG when the name ends in .jpg/.jpeg, else as PNG. */
    public static void writeImage(RgbImage img, Path target) throws IOException {
        writeImage(ImageFiles.toBufferedImage(img), target);
    }

    static boolean isJpeg(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /**
     * The files of a batch: {@code out} itself for one image, else {@code stem-0.png .. stem-(n-1).png}
     * beside it (the stem is the name without a ".png").
     */
    public static List<Path> batchNames(Path out, int count) {
        if (count == 1) {
            return List.of(out);
        }
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        List<Path> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(out.resolveSibling(stem + "-" + i + ".png"));
        }
        return names;
    }
}
