package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** SHA-256 of files, as lower-case hex. */
public final class Sha256 {
    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    public static String of(Path file) throws IOException {
        return of(file, n -> { });
    }

    /** The hash of {@code file}; {@code progress} gets the bytes read so far, now and then. */
    public static String of(Path file, LongConsumer progress) throws IOException {
        MessageDigest d = digest();
        long done = 0;
        long next = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int r; (r = in.read(buf)) > 0; ) {
                d.update(buf, 0, r);
                done += r;
                if (done >= next) {
                    progress.accept(done);
                    next = done + (64L << 20);
                }
            }
        }
        progress.accept(done);
        return hex(d.digest());
    }
}
