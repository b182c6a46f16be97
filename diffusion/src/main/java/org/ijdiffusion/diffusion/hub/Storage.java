package org.ijdiffusion.diffusion.hub;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where downloaded bytes are written, and how much room there is. The default writes files; tests
 * replace it to simulate a full disk.
 */
public interface Storage {
    /** Bytes that can still be written in {@code dir}. */
    long usableSpace(Path dir) throws IOException;

    /** Opens {@code part} for writing, at its end ({@code append}) or truncated. */
    OutputStream open(Path part, boolean append) throws IOException;

    /** Writes to files; FileOutputStream, so an interrupt of the writing thread cannot close it. */
    Storage FILES = new Storage() {
        @Override
        public long usableSpace(Path dir) throws IOException {
            return Files.getFileStore(dir).getUsableSpace();
        }

        @Override
        public OutputStream open(Path part, boolean append) throws IOException {
            return new FileOutputStream(part.toFile(), append);
        }
    };
}
