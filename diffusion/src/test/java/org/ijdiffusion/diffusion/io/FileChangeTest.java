package org.ijdiffusion.diffusion.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that changes while it is open ends in a {@link ModelFileException}, never in a fault inside
 * native code; a file renamed over the open one is read as it was; NaN/Inf weights are refused.
 */
class FileChangeTest {
    @TempDir
    Path dir;

    private static final float[] VALUES = {0.5f, -1.25f, 3f, 1024f, -0.0625f, 7.5f};

    private Path write(String name) throws Exception {
        Path f = dir.resolve(name);
        new SafetensorsWriter().addFloats("half", DType.F16, new long[] {2, 3}, VALUES)
                .addFloats("single", DType.F32, new long[] {3, 2}, VALUES)
                .addFloats("bf", DType.BF16, new long[] {6}, VALUES).write(f);
        return f;
    }

    private static void truncate(Path f, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Test
    void truncatedWhileMappedIsAnErrorAtFirstUse() throws Exception {
        Path f = write("t.safetensors");
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile s = SafetensorsFile.open(f)) {
            NDArray half = s.toCompact("half", m);
            NDArray single = s.toCompact("single", m);
            truncate(f, Files.size(f) - 20);
            ModelFileException e = assertThrows(ModelFileException.class, () -> MappedArrays.resident(half));
            assertTrue(e.getMessage().contains("changed on disk while in use"), e.getMessage());
            assertThrows(ModelFileException.class, () -> MappedArrays.resident(single));
            assertThrows(ModelFileException.class, () -> s.toFloat32("single", m));
            assertThrows(ModelFileException.class, () -> s.floats("bf"));
            assertTrue(MappedArrays.isMapped(half), "nothing was copied");
        }
    }

    @Test
    void overwrittenInPlaceIsAnError() throws Exception {
        Path f = write("o.safetensors");
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile s = SafetensorsFile.open(f)) {
            Files.write(f, new byte[(int) Files.size(f)]);
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            ModelFileException e = assertThrows(ModelFileException.class, () -> s.toFloat32("half", m));
            assertTrue(e.getMessage().contains("modified"), e.getMessage());
        }
    }

    @Test
    void renamedOverIsReadAsItWas() throws Exception {
        Path f = write("r.safetensors");
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile s = SafetensorsFile.open(f)) {
            NDArray half = s.toCompact("half", m);
            Path other = dir.resolve("other");
            Files.write(other, new byte[] {1, 2, 3});
            Files.move(other, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertArrayEquals(VALUES, MappedArrays.resident(half).toType(DataType.FLOAT32, false).toFloatArray());
            assertArrayEquals(VALUES, s.toFloat32("single", m).toFloatArray());
            assertArrayEquals(VALUES, s.floats("bf"));
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedWhenRead() throws Exception {
        Path f = dir.resolve("nan.safetensors");
        float[] bad = VALUES.clone();
        bad[3] = Float.NaN;
        float[] inf = VALUES.clone();
        inf[0] = Float.NEGATIVE_INFINITY;
        new SafetensorsWriter().addFloats("half", DType.F16, new long[] {6}, bad)
                .addFloats("single", DType.F32, new long[] {6}, inf)
                .addFloats("bf", DType.BF16, new long[] {6}, bad)
                .addFloats("fine", DType.F16, new long[] {6}, VALUES).write(f);
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile s = SafetensorsFile.open(f)) {
            for (String n : new String[] {"half", "single", "bf"}) {
                ModelFileException e = assertThrows(ModelFileException.class, () -> s.toFloat32(n, m));
                assertTrue(e.getMessage().contains("'" + n + "'") && e.getMessage().contains("NaN or infinite"), e.getMessage());
                assertFalse(s.allFinite(n), n);
            }
            NDArray alias = s.toCompact("half", m);
            assertThrows(ModelFileException.class, () -> MappedArrays.resident(alias));
            assertTrue(s.allFinite("fine"));
            assertArrayEquals(VALUES, MappedArrays.resident(s.toCompact("fine", m)).toType(DataType.FLOAT32, false)
                    .toFloatArray());
        }
    }

    @Test
    void theBitTestFindsEveryNonFiniteValueAtEveryPosition() {
        short[] halves = {0x7C00, (short) 0xFC00, 0x7E00, 0x7C01};
        int[] floats = {Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(Float.POSITIVE_INFINITY),
            Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)};
        for (int n = 1; n <= 9; n++) {
            for (int at = 0; at < n; at++) {
                java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    h.putShort(2 * i, (short) 0x7BFF); // 65504, the largest finite half
                    f.putFloat(4 * i, Float.MAX_VALUE);
                }
                assertTrue(TensorReader.finite(h, DType.F16) && TensorReader.finite(f, DType.F32), n + "");
                for (short bad : halves) {
                    h.putShort(2 * at, bad);
                    assertFalse(TensorReader.finite(h, DType.F16), n + " " + at + " " + bad);
                }
                for (int bad : floats) {
                    f.putInt(4 * at, bad);
                    assertFalse(TensorReader.finite(f, DType.F32), n + " " + at + " " + bad);
                }
            }
        }
    }

    @Test
    void pipesAndDevicesAreRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("x.safetensors");
        new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafetensorsFile.open(fifo));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertThrows(ModelFileException.class, () -> SafetensorsFile.open(Path.of("/dev/zero")));
    }
}
