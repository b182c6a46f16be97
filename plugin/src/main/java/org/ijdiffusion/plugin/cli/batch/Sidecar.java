package org.ijdiffusion.plugin.cli.batch;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.ijdiffusion.plugin.io.OutputFiles;

/**
 * The resume record {@code DIR/<stem>.png.json}, written (atomically) after the image: the job's hash
 * (its canonical generate options, which include the seed, and the size and modification time of every
 * file they name: model, LoRAs, init, mask, ControlNets, control images) and the PNG's sha256. A job is
 * complete when its record's hash is the job's and the PNG's bytes still have the recorded sha256.
 */
final class Sidecar {
    private static final String VERSION = "ij-diffusion batch 1";

    private Sidecar() {
    }

    static Path of(Path png) {
        return png.resolveSibling(png.getFileName() + ".json");
    }

    /** The job's hash: its options and the identity (size, mtime) of each file they name. */
    static String hash(List<String> args) throws IOException {
        MessageDigest d = sha256();
        update(d, VERSION);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            update(d, a);
            if (a.startsWith("--") && i + 1 < args.size() && JobArgs.PATHS.contains(a.substring(2))) {
                String v = args.get(i + 1);
                if (a.equals("--lora")) {
                    v = v.replaceAll("(:[-+0-9.eE]+){1,2}$", "");
                }
                update(d, identity(Path.of(v)));
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String identity(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        }
        if (Files.isDirectory(p)) {
            StringBuilder sb = new StringBuilder("dir");
            try (Stream<Path> s = Files.walk(p, 3)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    sb.append('|').append(p.relativize(f)).append('=').append(identity(f));
                }
            }
            return sb.toString();
        }
        return "missing";
    }

    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(String.valueOf(b.length).getBytes(StandardCharsets.US_ASCII));
        d.update((byte) ':');
        d.update(b);
    }

    static String fileSha256(Path f) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code png} is this job's finished image. */
    static boolean complete(Path png, String hash) {
        Path side = of(png);
        try {
            if (!Files.isRegularFile(side) || !Files.isRegularFile(png)) {
                return false;
            }
            JsonObject o = JsonParser.parseString(Files.readString(side)).getAsJsonObject();
            return hash.equals(o.get("hash").getAsString()) && fileSha256(png).equals(o.get("png_sha256").getAsString());
        } catch (IOException | RuntimeException e) {
            return false; // unreadable or foreign record: make the image again
        }
    }

    static void write(Path png, Job job, String hash, String run, double seconds) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("name", job.stem());
        o.addProperty("index", job.index());
        o.addProperty("seed", job.seed());
        o.addProperty("hash", hash);
        o.addProperty("png_sha256", fileSha256(png));
        o.addProperty("run", run);
        o.addProperty("seconds", seconds);
        OutputFiles.writeString(of(png), new Gson().toJson(o) + "\n");
    }

    /** Removes the temporary files a killed run left for {@code stem}'s image or record (".stem.png*.part"). */
    static void removeLeftovers(Path dir, String stem) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "." + escapeGlob(stem) + ".png*.part")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }
}
