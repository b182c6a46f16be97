package org.ijdiffusion.diffusion.io;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file. Tensor data is produced on demand by a {@link Source} so that
 * multi-gigabyte files (the random full-size checkpoint) stream to disk. The file appears atomically:
 * it is written next to the target and moved into place only when complete.
 */
public final class SafetensorsWriter {
    /** Fills the tensor's bytes (little-endian), exactly {@code byteSize} of them. */
    @FunctionalInterface
    public interface Source {
        void write(OutputStream out) throws IOException;
    }

    private record Entry(String name, DType dtype, long[] shape, Source source) {
        long bytes() {
            long n = dtype.bytes();
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, Source source) {
        entries.add(new Entry(name, dtype, shape.clone(), source));
        return this;
    }

    /** Adds float data, stored as F32, F16 or BF16 (rounded to nearest even). */
    public SafetensorsWriter addFloats(String name, DType dtype, long[] shape, float[] values) {
        return add(name, dtype, shape, out -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                switch (dtype) {
                    case F32 -> b.putFloat(v);
                    case F16 -> b.putShort(TensorConversion.floatToHalf(v));
                    case BF16 -> b.putShort(bf16(v));
                    default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
                }
            }
            out.write(b.array());
        });
    }

    public SafetensorsWriter addLongs(String name, long[] shape, long[] values) {
        return add(name, DType.I64, shape, out -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                b.putLong(v);
            }
            out.write(b.array());
        });
    }

    private static short bf16(float v) {
        int bits = Float.floatToIntBits(v);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The header JSON (with the 8-byte alignment padding of the reference writer). */
    public byte[] headerBytes() {
        StringWriter sw = new StringWriter();
        try (JsonWriter w = new JsonWriter(sw)) {
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name("__metadata__").beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    w.name(m.getKey()).value(m.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (Entry e : entries) {
                w.name(e.name).beginObject();
                w.name("dtype").value(e.dtype.name());
                w.name("shape").beginArray();
                for (long d : e.shape) {
                    w.value(d);
                }
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(offset + e.bytes()).endArray();
                w.endObject();
                offset += e.bytes();
            }
            w.endObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder s = new StringBuilder(sw.toString());
        while ((s.length() + 8) % 8 != 0) {
            s.append(' ');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the file whole or not at all ({@link AtomicFiles}). */
    public void write(Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            byte[] header = headerBytes();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            for (Entry e : entries) {
                CountingStream c = new CountingStream(out);
                e.source.write(c);
                if (c.count != e.bytes()) {
                    throw new IOException("tensor " + e.name + " wrote " + c.count + " bytes, expected " + e.bytes());
                }
            }
        });
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
