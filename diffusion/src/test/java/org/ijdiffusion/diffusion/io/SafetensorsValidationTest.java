package org.ijdiffusion.diffusion.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken safetensors file gives a ModelFileException naming the file (and tensor). */
@Timeout(60)
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private Path file(String name, long headerLength, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private Path file(String name, String header, int dataBytes) throws IOException {
        return file(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    private static ModelFileException refused(Path p, String... parts) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafetensorsFile.open(p).close());
        assertTrue(e.getMessage().contains(p.toString()), "file not named: " + e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void validFileOpens() throws IOException {
        Path p = file("ok.safetensors", "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "I64", "[1]", 8, 16)
                + ",\"__metadata__\":{\"format\":\"pt\"}}", 16);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(2, f.names().size());
            assertEquals("pt", f.metadata().get("format"));
        }
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        refused(file("long.safetensors", 1000, "{}", 0), "header length", "beyond");
        refused(file("negative.safetensors", -5, "{}", 0), "header length");
    }

    @Test
    void headerNotJson() throws IOException {
        refused(file("garbage.safetensors", "not json at all", 0), "JSON");
        refused(file("array.safetensors", "[1,2,3]", 0), "JSON object");
        refused(file("cut.safetensors", "{\"a\":{\"dtype\":\"F32\"", 0), "JSON");
        refused(file("badshape.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"x\"],\"data_offsets\":[0,4]}}", 4));
        refused(file("trailing.safetensors", "{} {}", 0));
        refused(file("noentry.safetensors", "{\"a\":{\"dtype\":\"F32\"}}", 0), "'a'", "lacks");
    }

    @Test
    void offsetsOutOfBounds() throws IOException {
        refused(file("oob.safetensors", "{" + tensor("w", "F32", "[4]", 0, 16) + "}", 8), "'w'", "truncated");
    }

    @Test
    void truncatedFile() throws IOException {
        String h = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 8, 16) + "}";
        refused(file("truncated.safetensors", h, 12), "'b'", "truncated");
    }

    @Test
    void overlappingTensors() throws IOException {
        String h = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}";
        refused(file("overlap.safetensors", h, 12), "'b'", "overlap", "'a'");
    }

    @Test
    void gapBetweenTensorsAndLeftoverBytes() throws IOException {
        String h = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}";
        refused(file("gap.safetensors", h, 12), "'b'", "gap");
        refused(file("leftover.safetensors", "{" + tensor("a", "F32", "[1]", 0, 4) + "}", 10), "after the last tensor");
    }

    @Test
    void byteSizeNotMatchingDtypeTimesShape() throws IOException {
        refused(file("size.safetensors", "{" + tensor("w", "F16", "[3]", 0, 8) + "}", 8), "'w'", "needs 6");
        refused(file("huge.safetensors", "{" + tensor("w", "F32", "[4611686018427387904,4]", 0, 8) + "}", 8), "'w'");
        refused(file("negdim.safetensors", "{" + tensor("w", "F32", "[-1]", 0, 4) + "}", 4), "'w'", "negative");
        refused(file("offsets.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8),
                "'w'");
        refused(file("backwards.safetensors", "{" + tensor("w", "F32", "[1]", 4, 0) + "}", 4), "'w'");
    }

    @Test
    void unknownDtype() throws IOException {
        refused(file("dtype.safetensors", "{" + tensor("w", "F8_E4M3X", "[1]", 0, 1) + "}", 1), "'w'", "F8_E4M3X");
    }

    @Test
    void duplicateNames() throws IOException {
        String h = "{" + tensor("w", "F32", "[1]", 0, 4) + "," + tensor("w", "F32", "[1]", 4, 8) + "}";
        refused(file("dup.safetensors", h, 8), "'w'", "twice");
    }

    @Test
    void tinyEmptyMissingAndFolder() throws IOException {
        Path small = dir.resolve("small.safetensors");
        Files.write(small, new byte[] {1, 2, 3});
        refused(small, "3 bytes");
        Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        refused(empty, "0 bytes");
        refused(dir.resolve("missing.safetensors"), "not found");
        Path folder = Files.createDirectories(dir.resolve("folder.safetensors"));
        refused(folder, "folder");
    }

    /** A tensor placed after more than 2 GiB of another's data (sparse file) is read from the right place. */
    @Test
    void offsetsBeyondTwoGibibytes() throws IOException {
        long big = (1L << 31) + 16;
        String h = "{" + tensor("big", "U8", "[" + big + "]", 0, big) + "," + tensor("after", "F32", "[2]", big, big + 8) + "}";
        byte[] header = h.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("sparse.safetensors");
        long start = 8 + header.length;
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(start + big + 8);
            ByteBuffer b = ByteBuffer.allocate((int) start).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(header.length).put(header);
            raf.write(b.array());
            raf.seek(start + big);
            ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2.25f);
            raf.write(v.array());
        } catch (IOException e) {
            assumeTrue(false, "filesystem cannot hold a sparse 2 GiB file: " + e.getMessage());
        }
        assumeTrue(Files.size(p) == start + big + 8, "sparse file not created");
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {1.5f, -2.25f}, f.floats("after"));
            ModelFileException e = assertThrows(ModelFileException.class, () -> f.bytes("big"));
            assertTrue(e.getMessage().contains("'big'") && e.getMessage().contains(p.toString()), e.getMessage());
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
