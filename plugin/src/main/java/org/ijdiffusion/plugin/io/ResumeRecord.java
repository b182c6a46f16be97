package org.ijdiffusion.plugin.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.ijdiffusion.diffusion.io.AtomicFiles;
import org.ijdiffusion.diffusion.io.TempFiles;

/**
 * The resume record of a batch image, {@code <name>.png.json} beside {@code <name>.png}, for both batch
 * paths (the CLI {@code batch} and ImageJ's Batch...): the job's hash and the PNG's sha256. An image is
 * complete when a record with its job's hash names the PNG's current sha256.
 *
 * <p>Commit order, so that no kill can leave a complete image that a rerun would make again, nor one it
 * would wrongly keep: (1) the image is written whole to a hidden staging file {@code .<name>.png.staged};
 * (2) the record (job hash + the staged bytes' sha256) is written whole to {@code .<name>.png.json.pending};
 * (3) the staged image is renamed onto {@code <name>.png}; (4) the pending record is renamed onto
 * {@code <name>.png.json}. After a kill between (3) and (4), the pending record proves the PNG is this
 * job's (same job hash, same sha256 of the bytes now there), so the rerun finishes step (4) instead of
 * making the image again. Every other leftover (staging file, pending record of another state,
 * temporary {@code .part} files) is removed before the image is made again.
 */
public final class ResumeRecord {
    /** The "format" value of a record. */
    public static final String FORMAT = "ij-diffusion resume 1";

    private ResumeRecord() {
    }

    /** {@code <name>.png.json} beside {@code png}. */
    public static Path of(Path png) {
        return png.resolveSibling(png.getFileName() + ".json");
    }

    static Path staged(Path png) {
        return png.resolveSibling("." + png.getFileName() + ".staged");
    }

    static Path pending(Path png) {
        return png.resolveSibling("." + png.getFileName() + ".json.pending");
    }

    /**
     * Whether {@code png} is the complete image of {@code job}. Finishes an interrupted commit (a PNG
     * renamed into place whose pending record has this job and the PNG's sha256) on the way.
     */
    public static boolean complete(Path png, String job) throws IOException {
        if (!Files.isRegularFile(png)) {
            return false;
        }
        String sha = null;
        JsonObject record = read(of(png));
        if (record != null && job.equals(string(record, "job"))) {
            sha = sha256(png);
            if (sha.equals(string(record, "png_sha256"))) {
                return true;
            }
        }
        JsonObject pending = read(pending(png));
        if (pending != null && job.equals(string(pending, "job"))) {
            if (sha == null) {
                sha = sha256(png);
            }
            if (sha.equals(string(pending, "png_sha256"))) {
                AtomicFiles.move(pending(png), of(png)); // step (4) of an interrupted commit
                return true;
            }
        }
        return false;
    }

    /**
     * Makes {@code png} and its record: {@code make} writes the image (whole, e.g. through
     * {@link OutputFiles#writePng}) at the path it is given; then the record with {@code job}, the image's
     * sha256 and {@code fields} (more facts for the reader: seed, seconds, ...) is committed as described
     * in the class comment. A failure of {@code make} leaves {@code png} and its record as they were.
     */
    public static void commit(Path png, String job, JsonObject fields, AtomicFiles.FileBody make) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        removeLeftovers(png);
        Path staged = staged(png);
        try {
            make.writeTo(staged);
            if (!Files.isRegularFile(staged)) {
                throw new IOException("no image was written for " + png);
            }
            JsonObject o = new JsonObject();
            o.addProperty("format", FORMAT);
            o.addProperty("job", job);
            o.addProperty("png_sha256", sha256(staged));
            for (String k : fields.keySet()) {
                if (!o.has(k)) {
                    o.add(k, fields.get(k));
                }
            }
            String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
            OutputFiles.writeString(pending(png), json);
            AtomicFiles.move(staged, png);
            AtomicFiles.move(pending(png), of(png));
        } finally {
            Files.deleteIfExists(staged);
            Files.deleteIfExists(pending(png));
        }
    }

    /**
     * Removes what a killed commit of {@code png} left: its staging file, pending record and the
     * temporary files of the image, the record and those two (only {@code png}'s own, so shards sharing
     * a folder do not disturb each other). Call {@link #complete} first: it may still accept a pending record.
     */
    public static void removeLeftovers(Path png) throws IOException {
        for (Path p : List.of(png, of(png), staged(png), pending(png))) {
            TempFiles.removeLeftovers(p);
        }
        Files.deleteIfExists(staged(png));
        Files.deleteIfExists(pending(png));
    }

    /** The sha256 of a file's bytes, as hex. */
    public static String sha256(Path f) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** A fresh SHA-256 digest (for job hashes). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record's JSON, or null when it is missing, unreadable or not a record. */
    private static JsonObject read(Path f) {
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            JsonObject o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
            return FORMAT.equals(string(o, "format")) ? o : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or foreign: the image is made again
        }
    }

    private static String string(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }
}
