package org.ijdiffusion.diffusion.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.Device;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Reads tensor bytes with positional reads of the open channel, never through a mapping handed to
 * native code: a file truncated while in use then ends in a {@link ModelFileException} instead of a
 * SIGBUS that kills the JVM (a mapped page past the new end of file faults in libtorch's copy).
 *
 * <p>Before and after every read the file is compared with what it was at open: the channel's size
 * (the open file itself, even when its name now points elsewhere) and, while the name still points to
 * the same file, its modification time (an overwrite in place). A file renamed over the name is not
 * an error: the open channel keeps reading the old file's consistent bytes.
 */
final class TensorReader {
    /** Reads up to this size go through one reused buffer per file; larger ones get a buffer of their own. */
    static final int SCRATCH_BYTES = 32 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final long size;
    private final Object fileKey;
    private final FileTime modified;
    private ByteBuffer scratch;

    TensorReader(Path path, FileChannel channel, long dataStart) throws IOException {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.size = channel.size();
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        this.fileKey = a.fileKey();
        this.modified = a.lastModifiedTime();
    }

    /** Throws when the file is no longer what was opened (truncated, grown, overwritten in place). */
    void checkUnchanged() {
        long now;
        try {
            now = channel.size();
        } catch (IOException e) {
            throw changed("it can no longer be read (" + e.getMessage() + ")");
        }
        if (now != size) {
            throw changed("it was " + size + " bytes when opened and is now " + now);
        }
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            if (fileKey != null && Objects.equals(fileKey, a.fileKey()) && !a.lastModifiedTime().equals(modified)) {
                throw changed("it was modified (" + modified + " when opened, now " + a.lastModifiedTime() + ")");
            }
        } catch (IOException e) {
            // the name is gone or replaced: the open channel still reads the file that was validated
        }
    }

    private ModelFileException changed(String what) {
        return new ModelFileException(path + " changed on disk while in use: " + what
                + ". Nothing was written; run again once the file is complete (do not modify a model while it runs).");
    }

    /** Fills {@code dst} (position 0 to its limit) with the bytes of {@code t}. */
    void read(TensorInfo t, ByteBuffer dst) {
        checkUnchanged();
        long pos = dataStart + t.begin();
        try {
            while (dst.hasRemaining()) {
                int r = channel.read(dst, pos + dst.position());
                if (r < 0) {
                    throw changed("it ends before tensor '" + t.name() + "'");
                }
            }
        } catch (IOException e) {
            throw new ModelFileException("Cannot read tensor '" + t.name() + "' of " + path + ": " + e.getMessage(), e);
        }
        checkUnchanged();
        dst.flip();
    }

    /** The tensor's bytes in a heap buffer (little-endian, position 0). */
    ByteBuffer heapBytes(TensorInfo t) {
        ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        read(t, b);
        return b;
    }

    /**
     * The tensor as stored ({@code type}: its F16 or F32), a copy in engine memory owned by {@code manager};
     * NaN or infinite values are a {@link ModelFileException}.
     */
    synchronized NDArray copy(TensorInfo t, DataType type, NDManager manager) {
        if (manager instanceof PtNDManager pt && manager.getDevice().equals(Device.cpu())) {
            return readIntoEngine(t, type, pt);
        }
        int n = (int) t.byteSize();
        boolean reuse = n <= SCRATCH_BYTES;
        ByteBuffer buf;
        if (reuse) {
            if (scratch == null || scratch.capacity() < n) {
                free(scratch);
                scratch = ByteBuffer.allocateDirect(Math.max(n, 1 << 20)).order(ByteOrder.nativeOrder());
            }
            buf = scratch;
            buf.clear().limit(n);
        } else {
            buf = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
        }
        try {
            read(t, buf);
            if (!finite(buf, t.dtype())) {
                throw FiniteCheck.notFinite(t.name(), path);
            }
            // the engine wraps a direct buffer without copying: duplicate makes the array its own
            NDArray alias = manager.create(buf.slice().order(ByteOrder.LITTLE_ENDIAN), new Shape(t.shape()), type);
            NDArray own = alias.duplicate();
            alias.close();
            return own;
        } finally {
            if (!reuse) {
                free(buf);
            }
        }
    }

    /**
     * One copy: the file's bytes are read straight into the memory of a new (uninitialised) engine array,
     * then checked in place; no scratch buffer and no duplicate of it.
     */
    private NDArray readIntoEngine(TensorInfo t, DataType type, PtNDManager manager) {
        NDArray own = JniUtils.createEmptyNdArray(manager, new Shape(t.shape()), type, manager.getDevice(),
                SparseFormat.DENSE);
        boolean ok = false;
        try {
            ByteBuffer dst = own.toByteBuffer(true);
            if (!dst.isDirect() || dst.capacity() != t.byteSize()) {
                throw new IllegalStateException("the engine gave no direct buffer of " + t.byteSize() + " bytes");
            }
            dst.clear();
            read(t, dst);
            if (!finite(dst, t.dtype())) {
                throw FiniteCheck.notFinite(t.name(), path);
            }
            ok = true;
            return own;
        } finally {
            if (!ok) {
                own.close();
            }
        }
    }

    /**
     * Whether every value of a floating-point tensor is finite, read in chunks in Java (integer tensors:
     * true). For {@code inspect}, which checks values without loading them into the engine.
     */
    boolean allFinite(TensorInfo t) {
        if (!t.dtype().isFloating()) {
            return true;
        }
        int unit = t.dtype().bytes();
        int chunk = (4 << 20) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < t.byteSize(); done += chunk) {
            int n = (int) Math.min(chunk, t.byteSize() - done);
            buf.clear().limit(n);
            read(new TensorInfo(t.name(), t.dtype(), new long[] {n / unit}, t.begin() + done, t.begin() + done + n), buf);
            if (!finite(buf, t.dtype())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the floating-point values in {@code b} (position to limit, little-endian) are all finite: a
     * bit test in Java (a NaN/Inf has every exponent bit set), ~1 s for the 1.7 GB of an F16 UNet, where
     * libtorch's isnan/isinf on float16 took 35 s.
     */
    static boolean finite(ByteBuffer b, DType d) {
        if (!d.isFloating()) {
            return true;
        }
        ByteBuffer v = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        // a long at a time: 4 half lanes, 2 float lanes or 1 double; a lane is non-finite when its
        // exponent bits are all set, i.e. (lane & exp) ^ exp == 0: found with the "has a zero lane" test
        long exp;
        long ones;
        long highs;
        switch (d) {
            case F16 -> { exp = 0x7C007C007C007C00L; ones = 0x0001000100010001L; highs = 0x8000800080008000L; }
            case BF16 -> { exp = 0x7F807F807F807F80L; ones = 0x0001000100010001L; highs = 0x8000800080008000L; }
            case F32 -> { exp = 0x7F8000007F800000L; ones = 0x0000000100000001L; highs = 0x8000000080000000L; }
            default -> { exp = 0x7FF0000000000000L; ones = 1L; highs = 0x8000000000000000L; }
        }
        int longs = v.remaining() / 8;
        java.nio.LongBuffer l = v.asLongBuffer();
        for (int i = 0; i < longs; i++) {
            long t = (l.get(i) & exp) ^ exp;
            if (((t - ones) & ~t & highs) != 0) {
                return false;
            }
        }
        // the tail (fewer than 8 bytes: at most 3 halves or 1 float)
        int unit = d.bytes();
        for (int i = v.position() + longs * 8; i + unit <= v.limit(); i += unit) {
            boolean bad = switch (d) {
                case F16 -> (v.getShort(i) & 0x7C00) == 0x7C00;
                case BF16 -> (v.getShort(i) & 0x7F80) == 0x7F80;
                case F32 -> (v.getInt(i) & 0x7F800000) == 0x7F800000;
                default -> !Double.isFinite(v.getDouble(i));
            };
            if (bad) {
                return false;
            }
        }
        return true;
    }

    synchronized void close() {
        free(scratch);
        scratch = null;
    }

    private static void free(ByteBuffer b) {
        if (b != null) {
            Unmapper.unmap(b);
        }
    }
}
