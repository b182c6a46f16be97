package org.ijdiffusion.diffusion.io;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the JSON header of a safetensors file. Every problem becomes a
 * {@link ModelFileException} naming the file and, where one is at fault, the tensor.
 */
final class SafetensorsHeader {
    /** Larger headers are refused: real ones are well under a megabyte per thousand tensors. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    final Map<String, String> metadata = new LinkedHashMap<>();
    final Map<String, TensorInfo> tensors = new LinkedHashMap<>();

    private SafetensorsHeader() {
    }

    static SafetensorsHeader parse(Path file, String json, long dataBytes) {
        SafetensorsHeader h = new SafetensorsHeader();
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                throw bad(file, "its header is not a JSON object");
            }
            r.beginObject();
            Set<String> seen = new HashSet<>();
            while (r.hasNext()) {
                String name = r.nextName();
                if (!seen.add(name)) {
                    throw bad(file, "tensor '" + name + "' appears twice in the header");
                }
                if (name.equals("__metadata__")) {
                    h.readMetadata(file, r);
                } else {
                    h.tensors.put(name, readTensor(file, name, r));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw bad(file, "its header has data after the JSON object");
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw bad(file, "its header is not valid JSON (" + e.getMessage() + ")");
        }
        h.checkLayout(file, dataBytes);
        return h;
    }

    private void readMetadata(Path file, JsonReader r) throws IOException {
        if (r.peek() == JsonToken.NULL) {
            r.nextNull();
            return;
        }
        r.beginObject();
        while (r.hasNext()) {
            String k = r.nextName();
            JsonToken t = r.peek();
            if (t == JsonToken.STRING || t == JsonToken.NUMBER || t == JsonToken.BOOLEAN) {
                metadata.put(k, r.nextString());
            } else {
                throw bad(file, "its __metadata__ entry '" + k + "' is not a string");
            }
        }
        r.endObject();
    }

    private static TensorInfo readTensor(Path file, String name, JsonReader r) throws IOException {
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw badTensor(file, name, "its header entry is not an object");
        }
        String dtypeText = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            String k = r.nextName();
            switch (k) {
                case "dtype" -> dtypeText = readString(file, name, k, r);
                case "shape" -> shape = readLongs(file, name, k, r);
                case "data_offsets" -> offsets = readLongs(file, name, k, r);
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (dtypeText == null || shape == null || offsets == null) {
            throw badTensor(file, name, "its header entry lacks dtype, shape or data_offsets");
        }
        DType dtype = DType.fromHeader(dtypeText);
        if (dtype == null) {
            throw badTensor(file, name, "unknown dtype '" + dtypeText + "' (known: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        if (offsets.size() != 2) {
            throw badTensor(file, name, "data_offsets must hold two numbers");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i);
            if (dims[i] < 0) {
                throw badTensor(file, name, "negative dimension in shape " + shape);
            }
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin < 0 || end < begin) {
            throw badTensor(file, name, "data_offsets " + offsets + " are not an increasing byte range");
        }
        TensorInfo info = new TensorInfo(name, dtype, dims, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(info.elementCount(), (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw badTensor(file, name, "shape " + shape + " is impossibly large");
        }
        if (expected != end - begin) {
            throw badTensor(file, name, "it holds " + (end - begin) + " bytes but " + dtype + " x " + shape
                    + " needs " + expected);
        }
        return info;
    }

    /** An array of JSON integers: strings ("12"), fractions, null or nested values are refused. */
    private static List<Long> readLongs(Path file, String name, String field, JsonReader r) throws IOException {
        if (r.peek() != JsonToken.BEGIN_ARRAY) {
            throw badTensor(file, name, field + " is not an array of integers");
        }
        List<Long> out = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) {
                throw badTensor(file, name, field + " holds " + r.peek().name().toLowerCase(java.util.Locale.ROOT)
                        + " values where integers belong");
            }
            String text = r.nextString();
            try {
                out.add(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw badTensor(file, name, field + " holds " + text + " where an integer belongs");
            }
        }
        r.endArray();
        return out;
    }

    private static String readString(Path file, String name, String field, JsonReader r) throws IOException {
        if (r.peek() != JsonToken.STRING) {
            throw badTensor(file, name, field + " is not a string");
        }
        return r.nextString();
    }

    /** Offsets must tile the data block exactly: in bounds, no overlap, no gap, nothing left over. */
    private void checkLayout(Path file, long dataBytes) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        Collections.sort(sorted, Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.end() > dataBytes) {
                throw new ModelFileException("Cannot read " + file + ": tensor '" + t.name() + "' ends at byte "
                        + t.end() + " of the data block, but the file holds only " + dataBytes
                        + " bytes of data. The file is truncated or corrupt: download it again.");
            }
            if (t.begin() < expectedBegin) {
                throw badTensor(file, t.name(), "its bytes overlap those of tensor '" + previous.name() + "'");
            }
            if (t.begin() > expectedBegin) {
                throw badTensor(file, t.name(), "there is a gap of " + (t.begin() - expectedBegin)
                        + " unused bytes before it");
            }
            expectedBegin = t.end();
            previous = t;
        }
        if (expectedBegin != dataBytes) {
            throw bad(file, "its data block has " + (dataBytes - expectedBegin)
                    + " bytes after the last tensor that no tensor uses");
        }
    }

    static ModelFileException bad(Path file, String what) {
        return new ModelFileException("Cannot read " + file + ": " + what
                + ". It is not a valid .safetensors file (a corrupt or incomplete download?).");
    }

    static ModelFileException badTensor(Path file, String tensor, String what) {
        return new ModelFileException("Cannot read " + file + ": tensor '" + tensor + "': " + what
                + ". The file is corrupt: download it again.");
    }
}
