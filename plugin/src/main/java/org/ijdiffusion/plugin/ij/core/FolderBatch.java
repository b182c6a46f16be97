package org.ijdiffusion.plugin.ij.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.ijdiffusion.plugin.io.ResumeRecord;

/**
 * The plan of a folder batch (Plugins > Diffusion > Batch...): the images of an input folder in name
 * order, each with its mask file (inpainting with masks from files), its output {@code OUT/<stem>.png}
 * and resume record {@code OUT/<stem>.png.json} ({@link ResumeRecord}, the CLI batch's own). The output folder is never the input folder, so no
 * output can overwrite an input. Mask files: {@code <stem>_mask.<ext>} in the mask folder, else a file
 * of the image's own name there (the mask folder may be the input folder); with mask files, files named
 * {@code *_mask.*} are masks, never inputs. No ImageJ here.
 */
public final class FolderBatch {
    /** What is made of each image. */
    public enum Mode {
        IMG2IMG("img2img"), INPAINT("inpaint");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static List<String> labels() {
            return Stream.of(values()).map(Mode::label).toList();
        }

        public static Mode fromLabel(String s) {
            for (Mode m : values()) {
                if (m.label.equalsIgnoreCase(s.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be one of " + labels() + " (got '" + s + "')");
        }
    }

    /** The file name suffix (before the extension) of a mask file beside or for its image. */
    public static final String MASK_SUFFIX = "_mask";
    static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif");

    /** One image of the batch: index (its seed is seed + index), files, and where its result goes. */
    public record Item(int index, Path input, Path mask, Path output, Path record) {
        public String name() {
            return input.getFileName().toString();
        }
    }

    private FolderBatch() {
    }

    /**
     * The items for {@code input} (a folder of images) into {@code output}; {@code maskFolder} non-null
     * when each image's mask comes from a file there (an image without one is an error of that image,
     * reported when it is reached: {@link Item#mask()} is then a path that does not exist).
     */
    public static List<Item> plan(Path input, Path output, Path maskFolder) throws IOException {
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("input: " + input + " is not a folder of images");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException("output: " + output + " is a file, not a folder");
        }
        if (maskFolder != null && !Files.isDirectory(maskFolder)) {
            throw new IllegalArgumentException("mask_folder: " + maskFolder + " is not a folder");
        }
        if (sameFolder(input, output)) {
            throw new IllegalArgumentException("output must be another folder than input (" + input
                    + "): results never overwrite the images they come from");
        }
        if (maskFolder != null && sameFolder(maskFolder, output)) {
            throw new IllegalArgumentException("output must be another folder than mask_folder (" + maskFolder + ")");
        }
        boolean masksBeside = maskFolder != null && sameFolder(input, maskFolder);
        boolean masksFromFiles = maskFolder != null;
        List<Path> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(input)) {
            files.filter(Files::isRegularFile).filter(p -> isImage(p) && !p.getFileName().toString().startsWith("."))
                    .filter(p -> !(masksFromFiles && stem(p).endsWith(MASK_SUFFIX)))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .forEach(images::add);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("input: no images (" + String.join(", ", IMAGE_EXTENSIONS) + ") in "
                    + input);
        }
        Map<String, Path> byOutput = new HashMap<>();
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path img = images.get(i);
            String out = stem(img) + ".png";
            Path before = byOutput.put(out.toLowerCase(Locale.ROOT), img);
            if (before != null) {
                throw new IllegalArgumentException(before.getFileName() + " and " + img.getFileName()
                        + " would both be saved as " + out + ": rename one of them");
            }
            Path mask = maskFolder == null ? null : maskFor(img, maskFolder, masksBeside);
            items.add(new Item(i, img, mask, output.resolve(out), ResumeRecord.of(output.resolve(out))));
        }
        return items;
    }

    /** The mask file of {@code image}: {@code <stem>_mask.*} in the folder, else the same name (not beside it). */
    static Path maskFor(Path image, Path maskFolder, boolean beside) throws IOException {
        String stem = stem(image) + MASK_SUFFIX;
        try (Stream<Path> files = Files.list(maskFolder)) {
            List<Path> found = files.filter(p -> isImage(p) && stem(p).equals(stem)).sorted().toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
        // same file name in another folder; beside the image that would be the image itself
        return beside ? maskFolder.resolve(stem + ".png") : maskFolder.resolve(image.getFileName().toString());
    }

    /**
     * The job hash a result's {@link ResumeRecord} carries: the parameters (everything that changes the image), the input
     * file's bytes, the mask (its bytes), and the seed. A changed input, mask or setting is made again.
     */
    public static String jobHash(String parameters, Path input, byte[] mask, long seed) throws IOException {
        MessageDigest d = ResumeRecord.digest();
        d.update(parameters.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(ResumeRecord.digest().digest(Files.readAllBytes(input)));
        d.update(mask == null ? new byte[0] : ResumeRecord.digest().digest(mask));
        d.update(Long.toString(seed).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d.digest());
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
    }

    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static boolean sameFolder(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
