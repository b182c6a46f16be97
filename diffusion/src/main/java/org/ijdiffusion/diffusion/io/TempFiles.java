package org.ijdiffusion.diffusion.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh hidden file beside a target, for writing a file completely before moving it into place.
 * Unlike {@code Files.createTempFile} (owner-only permissions) it gets the usual permissions of a new
 * file, so the file the user gets is readable as any other they make.
 */
public final class TempFiles {
    private TempFiles() {
    }

    public static Path beside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        for (int i = 0; i < 100; i++) {
            Path p = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                Path made = Files.createFile(p);
                made.toFile().deleteOnExit(); // Ctrl-C while writing leaves no half-written file
                return made;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // try another name
            }
        }
        throw new IOException("cannot create a temporary file in " + dir);
    }

    /**
     * Deletes the temporary files {@link #beside} made for {@code target} that a killed process left
     * ({@code .<name>.<hex>.part}; a kill skips the delete-on-exit). Only {@code target}'s own: call it
     * when no other process writes that target.
     */
    public static void removeLeftovers(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile(
                "\\." + java.util.regex.Pattern.quote(target.getFileName().toString()) + "\\.[0-9a-f]{1,16}\\.part");
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (ours.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
