package org.ijdiffusion.diffusion.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A lazy {@code .safetensors} file. The header is read and validated on open; each tensor is read on
 * first use with positional reads of the open channel (per tensor, so files larger than 2 GiB work),
 * checked against the file as it was opened ({@link TensorReader}: a file truncated or overwritten
 * meanwhile is a clear error, not a JVM crash). Only {@link #toCompact} maps, for an alias that is
 * never read: its values are read from the file at their first use.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final SafetensorsHeader header;
    private final TensorReader reader;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) throws IOException {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.header = header;
        this.reader = new TensorReader(path, channel, dataStart);
    }

    /** Opens and validates a file; every problem is a {@link ModelFileException} with a clear message. */
    public static SafetensorsFile open(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFileException("Model file not found: " + file + ". Check the path.");
        }
        if (Files.isDirectory(file)) {
            throw new ModelFileException(file + " is a folder, not a .safetensors file.");
        }
        if (!Files.isRegularFile(file)) {
            // a FIFO would block the open for ever, a device would be read without end
            throw new ModelFileException(file + " is not a regular file (a pipe, socket or device?): give a"
                    + " .safetensors file.");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                throw SafetensorsHeader.bad(file, "it is only " + size + " bytes long");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.getLong(0);
            if (n < 2 || n > size - 8) {
                throw SafetensorsHeader.bad(file, "its header length (" + Long.toUnsignedString(n)
                        + " bytes) goes beyond the end of the file (" + size + " bytes)");
            }
            if (n > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw SafetensorsHeader.bad(file, "its header length (" + n + " bytes) is implausibly large");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, size - 8 - n);
            SafetensorsFile f = new SafetensorsFile(file, ch, 8 + n, header);
            ch = null;
            return f;
        } catch (NoSuchFileException e) {
            throw new ModelFileException("Model file not found: " + file + ". Check the path.");
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} block (empty when absent). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(header.metadata);
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(header.tensors.keySet());
    }

    public Map<String, TensorInfo> tensors() {
        return Collections.unmodifiableMap(header.tensors);
    }

    public boolean contains(String name) {
        return header.tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo t = header.tensors.get(name);
        if (t == null) {
            throw new ModelFileException("Tensor '" + name + "' is not in " + path);
        }
        return t;
    }

    /**
     * The tensor's bytes (little-endian), read into a heap buffer of their own; position 0, limit = byte
     * size. Read, not mapped: a file truncated meanwhile is a {@link ModelFileException}, never a crash.
     */
    public ByteBuffer bytes(String name) {
        return reader.heapBytes(checkSize(info(name)));
    }

    private TensorInfo checkSize(TensorInfo t) {
        if (t.byteSize() > Integer.MAX_VALUE) {
            throw new ModelFileException("Tensor '" + t.name() + "' in " + path + " is larger than 2 GiB; not supported.");
        }
        return t;
    }

    private MappedByteBuffer map(TensorInfo t) {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.byteSize());
        } catch (IOException e) {
            throw new ModelFileException("Cannot map tensor '" + t.name() + "' of " + path + ": " + e.getMessage(), e);
        }
    }

    /** The values of a floating-point tensor as float32 (F16/BF16/F64 converted in Java). */
    public float[] floats(String name) {
        TensorInfo t = info(name);
        return FiniteCheck.require(TensorConversion.toFloats(t, bytes(name), path), name, path);
    }

    /** The values of an integer tensor as longs. */
    public long[] longs(String name) {
        TensorInfo t = info(name);
        return TensorConversion.toLongs(t, bytes(name), path);
    }

    /**
     * The tensor as a float32 NDArray owned by {@code manager}, a copy in engine memory (read from the
     * file, never aliasing a mapping): F16 is upcast by the engine; BF16 and F64 are converted in Java
     * (a BF16 NDArray aborts the JVM with the PyTorch engine). NaN or infinite values are refused.
     */
    public NDArray toFloat32(String name, NDManager manager) {
        TensorInfo t = info(name);
        Shape shape = new Shape(t.shape());
        switch (t.dtype()) {
            case F32:
                return reader.copy(checkSize(t), DataType.FLOAT32, manager);
            case F16: {
                NDArray half = reader.copy(checkSize(t), DataType.FLOAT16, manager);
                try {
                    return half.toType(DataType.FLOAT32, false);
                } finally {
                    half.close();
                }
            }
            case BF16:
            case F64: {
                float[] f = floats(name);
                ByteBuffer buf = ByteBuffer.allocateDirect(f.length * 4).order(ByteOrder.nativeOrder());
                buf.asFloatBuffer().put(f);
                return manager.create(buf, shape, DataType.FLOAT32);
            }
            default:
                throw new ModelFileException("Tensor '" + name + "' in " + path + " has integer type "
                        + t.dtype() + " where a floating-point weight was expected.");
        }
    }

    /**
     * The tensor as stored when it is F16 or F32 (other types as {@link #toFloat32}), wrapping a mapping
     * of its own without reading it: it becomes a copy in engine memory at its first use
     * ({@link MappedArrays#resident}), read from the file then (and checked to be finite), not copied
     * from the mapping. For weights read once per denoising step. Never modify it in place.
     */
    public NDArray toCompact(String name, NDManager manager) {
        TensorInfo t = info(name);
        DataType type = t.dtype() == DType.F16 ? DataType.FLOAT16 : t.dtype() == DType.F32 ? DataType.FLOAT32 : null;
        if (type == null) {
            return toFloat32(name, manager);
        }
        MappedByteBuffer m = map(checkSize(t));
        NDArray alias = manager.create(m.duplicate().order(ByteOrder.LITTLE_ENDIAN), new Shape(t.shape()), type);
        MappedArrays.register(this, alias, m,
                owner -> reader.copy(t, type, owner));
        return alias;
    }

    /**
     * Whether every value of tensor {@code name} is finite, checked in Java without loading it (for
     * {@code inspect}; loading checks the values it reads itself).
     */
    public boolean allFinite(String name) {
        return reader.allFinite(info(name));
    }

    @Override
    public void close() {
        MappedArrays.forget(this);
        reader.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
