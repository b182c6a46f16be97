package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One download of a file at a time, across processes (an OS file lock on a hidden {@code .FILE.lock}
 * beside it) and across threads of this JVM (where the OS lock reports an overlap). The lock file is
 * left in place: deleting it would let two holders lock two different files.
 */
final class DownloadLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DownloadLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".lock");
    }

    /** The lock, or null when another process or thread holds it. */
    static DownloadLock tryAcquire(Path target) throws IOException {
        FileChannel ch = FileChannel.open(lockFile(target), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            return new DownloadLock(ch, l);
        } catch (OverlappingFileLockException e) {
            ch.close();
            return null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
