package org.ijdiffusion.diffusion.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written whole or not at all: the content goes to a hidden temporary file in the target's
 * folder ({@link TempFiles#beside}), is synced to disk, and is renamed onto the target in one atomic
 * step (then the folder is synced, so the rename survives a power cut). A failure at any point (an
 * exception of the writer, a full disk, a kill) leaves the target as it was and removes the temporary
 * file (on a kill: at JVM exit where possible; the name starts with "." and ends in ".part").
 */
public final class AtomicFiles {
    /** What writes the content. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What makes the content at a path given to it (for writers that want a file name, e.g. libtorch's trace). */
    @FunctionalInterface
    public interface FileBody {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} from {@code body} (which must not close the stream early; closing is fine). */
    public static void write(Path target, Body body) throws IOException {
        refuseFolder(target);
        Path tmp = TempFiles.beside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream os = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(new NoClose(os));
                os.flush();
                ch.force(true);
            }
            commit(tmp, target);
        } catch (IOException e) {
            throw named(target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code target} from bytes. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Lets {@code body} write a file at a temporary path beside {@code target} (the path does not exist
     * when it is called), then syncs it and renames it onto the target. If the body writes nothing the
     * target is left as it was and an IOException says so.
     */
    public static void writeVia(Path target, FileBody body) throws IOException {
        refuseFolder(target);
        Path tmp = TempFiles.beside(target);
        try {
            Files.delete(tmp);
            body.writeTo(tmp);
            if (!Files.isRegularFile(tmp)) {
                throw new IOException("nothing was written for " + target);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            commit(tmp, target);
        } catch (IOException e) {
            throw named(target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * "cannot write TARGET (left as it was): " and the messages of the cause chain, e.g. an image writer's
     * "I/O error writing PNG file!" with the "No space left on device" under it.
     */
    private static IOException named(Path target, IOException e) {
        StringBuilder m = new StringBuilder("cannot write " + target + " (left as it was): ");
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String s = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!s.equals(last)) {
                m.append(last == null ? "" : ": ").append(s);
                last = s;
            }
        }
        return new IOException(m.toString(), e);
    }

    /** A rename would replace an empty folder: a folder is never a target. */
    private static void refuseFolder(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a folder: give a file name");
        }
    }

    /**
     * Renames the complete file {@code from} onto {@code target} in one atomic step (replacing it), then
     * syncs the folder; for a file made whole under another name first (e.g. an image staged beside its
     * resume record). {@code from} must be in the target's folder.
     */
    public static void move(Path from, Path target) throws IOException {
        refuseFolder(target);
        commit(from, target);
    }

    private static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically (" + e.getMessage() + ")", e);
        }
        syncFolder(target.toAbsolutePath().getParent());
    }

    /** Best effort: some systems cannot open a folder for syncing (the rename itself is then still atomic). */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here
        }
    }

    /** Keeps the body from closing the channel before it is synced. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
