package org.ijdiffusion.plugin.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;

/** Crafted safetensors files: a fixture's tensors, edited as data, or its header edited as text. */
final class Crafted {
    /** One tensor: name, dtype, shape and its raw little-endian bytes. */
    static final class Tensor {
        String name;
        DType dtype;
        long[] shape;
        byte[] bytes;

        Tensor(String name, DType dtype, long[] shape, byte[] bytes) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.bytes = bytes;
        }
    }

    private Crafted() {
    }

    static Path testdata() {
        String p = System.getProperty("testdata.dir");
        return p != null ? Paths.get(p) : Paths.get("..", "testdata");
    }

    static Path model(String name) {
        return testdata().resolve("models").resolve(name);
    }

    static List<Tensor> read(Path file) {
        List<Tensor> out = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String n : f.names()) {
                ByteBuffer b = f.bytes(n);
                byte[] a = new byte[b.remaining()];
                b.get(a);
                out.add(new Tensor(n, f.info(n).dtype(), f.info(n).shape(), a));
            }
        }
        return out;
    }

    static Path write(Path file, List<Tensor> tensors) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (Tensor t : tensors) {
            byte[] b = t.bytes;
            w.add(t.name, t.dtype, t.shape, out -> out.write(b));
        }
        w.write(file);
        return file;
    }

    /** The tiny SD1.5 fixture with {@code edit} applied to its tensor list. */
    static Path tinyEdited(Path dir, String name, java.util.function.Consumer<List<Tensor>> edit) throws IOException {
        List<Tensor> t = read(model("tiny-sd15.safetensors"));
        edit.accept(t);
        return write(dir.resolve(name + ".safetensors"), t);
    }

    static Tensor find(List<Tensor> ts, String name) {
        return ts.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor " + name));
    }

    /** Sets every F16 element of a tensor to {@code bits} (e.g. 0x7E00 NaN, 0x7C00 +Inf, 0x7BFF 65504). */
    static void fillHalf(Tensor t, short bits) {
        ByteBuffer b = ByteBuffer.wrap(t.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 1 < t.bytes.length; i += 2) {
            b.putShort(i, bits);
        }
    }

    /** A copy of {@code source} whose JSON header is rewritten by {@code edit} (the length prefix follows). */
    static Path headerEdited(Path source, Path target, UnaryOperator<String> edit) throws IOException {
        byte[] all = Files.readAllBytes(source);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        byte[] header = edit.apply(json).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + all.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(all, 8 + (int) n, all.length - 8 - (int) n);
        Files.write(target, out.array());
        return target;
    }

    /** A small valid file of two F32 tensors, for header edits. */
    static Path small(Path dir) throws IOException {
        Path f = dir.resolve("small.safetensors");
        new SafetensorsWriter().addFloats("a", DType.F32, new long[] {2, 2}, new float[] {1, 2, 3, 4})
                .addFloats("b", DType.F32, new long[] {3}, new float[] {5, 6, 7}).write(f);
        return f;
    }

    /**
     * A full-size SD1.5 checkpoint header (F16, the names and shapes of {@code RandomSd15}) over a sparse
     * data block: 2.1 GB long but taking no disk space. Only for cases refused before any weight is read
     * (sizes beyond the machine: the limit depends on the model's real widths).
     */
    static Path sparseSd15(Path dir) throws IOException {
        Path f = dir.resolve("sd15-sparse.safetensors");
        java.util.Map<String, long[]> shapes = org.ijdiffusion.diffusion.model.SyntheticCheckpoint.ldmShapes(
                org.ijdiffusion.diffusion.model.RandomSd15.UNET, org.ijdiffusion.diffusion.model.RandomSd15.VAE,
                org.ijdiffusion.diffusion.model.RandomSd15.TEXT);
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (java.util.Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 2;
            for (long d : e.getValue()) {
                n *= d;
            }
            json.append(json.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"F16\",\"shape\":")
                    .append(Arrays.toString(e.getValue()).replace(" ", "")).append(",\"data_offsets\":[").append(offset)
                    .append(',').append(offset + n).append("]}");
            offset += n;
        }
        byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            r.write(len.array());
            r.write(header);
            r.setLength(8 + header.length + offset);
        }
        return f;
    }

    /** Copies a folder tree (a diffusers fixture) so it can be edited. */
    static Path copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }
}
