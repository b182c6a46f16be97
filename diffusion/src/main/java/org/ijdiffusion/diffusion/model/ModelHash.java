package org.ijdiffusion.diffusion.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * A1111's "Model hash": the first 10 hex digits of the file's SHA-256. Hashing a multi-gigabyte
 * file takes seconds, so results are cached in {@code ~/.cache/ij-diffusion/model-hashes.properties}
 * keyed by path, size and modification time (system property {@code ijdiffusion.cache.dir} moves the
 * cache). When the cache cannot be read or written the hash is simply recomputed.
 */
public final class ModelHash {
    private static final String CACHE_FILE = "model-hashes.properties";

    private ModelHash() {
    }

    /** First 10 hex digits of the SHA-256 of {@code file}. */
    public static String shortHash(Path file) {
        return fullHash(file).substring(0, 10);
    }

    /**
     * A1111's legacy hash that sd-webui-controlnet shows beside its models ({@code name [hash]}): the
     * first 8 hex digits of the SHA-256 of the 64 KiB at offset 1 MiB (fewer bytes, or none, when the
     * file is shorter, as Python's seek + read give).
     */
    public static String legacyHash(Path file) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(0x10000);
            long pos = 0x100000;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(buf.array(), 0, buf.position());
            return HexFormat.of().formatHex(md.digest()).substring(0, 8);
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full SHA-256 of {@code file} in hex, from the cache when the file is unchanged. */
    public static synchronized String fullHash(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String stamp;
        try {
            stamp = Files.size(abs) + ":" + Files.getLastModifiedTime(abs).toMillis();
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Properties cache = load();
        String cached = cache.getProperty(abs.toString());
        if (cached != null && cached.startsWith(stamp + ":")) {
            return cached.substring(stamp.length() + 1);
        }
        String hash = sha256(abs);
        cache.setProperty(abs.toString(), stamp + ":" + hash);
        store(cache);
        return hash;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cacheDir() {
        String p = System.getProperty("ijdiffusion.cache.dir");
        if (p != null) {
            return Paths.get(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("ij-diffusion");
    }

    private static Properties load() {
        Properties p = new Properties();
        Path f = cacheDir().resolve(CACHE_FILE);
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                p.clear();
            }
        }
        return p;
    }

    private static void store(Properties p) {
        try {
            Path dir = cacheDir();
            Files.createDirectories(dir);
            org.ijdiffusion.diffusion.io.AtomicFiles.write(dir.resolve(CACHE_FILE),
                    out -> p.store(out, "ij-diffusion model hashes: path = size:mtime:sha256"));
        } catch (IOException | RuntimeException e) {
            // unwritable cache: the hash is recomputed next time
        }
    }
}
