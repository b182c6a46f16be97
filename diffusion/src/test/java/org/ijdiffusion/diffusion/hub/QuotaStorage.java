package org.ijdiffusion.diffusion.hub;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** A disk with a quota: reports {@code reported} bytes free and fails writes past {@code writable} bytes. */
final class QuotaStorage implements Storage {
    private final long reported;
    private final long writable;
    private final AtomicLong written = new AtomicLong();

    QuotaStorage(long reported, long writable) {
        this.reported = reported;
        this.writable = writable;
    }

    @Override
    public long usableSpace(Path dir) {
        return reported;
    }

    @Override
    public OutputStream open(Path part, boolean append) throws IOException {
        return new FilterOutputStream(Storage.FILES.open(part, append)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                long room = writable - written.get();
                if (len > room) {
                    if (room > 0) {
                        out.write(b, off, (int) room);
                        written.addAndGet(room);
                    }
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
                written.addAndGet(len);
            }
        };
    }
}
