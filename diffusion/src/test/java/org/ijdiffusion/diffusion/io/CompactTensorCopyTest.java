package org.ijdiffusion.diffusion.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights read once per step ({@link SafetensorsFile#toCompact}) alias the file until their first use,
 * then are the engine's own copies: their values survive the file being overwritten.
 */
class CompactTensorCopyTest {
    @Test
    void compactTensorsAreCopiesKeptInTheirStoredType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.safetensors");
        float[] values = {0.5f, -1.25f, 3f, 1024f, -0.0625f, 7.5f};
        new SafetensorsWriter()
                .addFloats("half", DType.F16, new long[] {2, 3}, values)
                .addFloats("single", DType.F32, new long[] {3, 2}, values)
                .write(file);
        try (NDManager m = NDManager.newBaseManager()) {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                NDArray halfAlias = f.toCompact("half", m);
                NDArray singleAlias = f.toCompact("single", m);
                assertTrue(MappedArrays.isMapped(halfAlias), "loading must not read the values");
                NDArray half;
                NDArray single;
                try (NDScope step = new NDScope()) {
                    // first used inside a denoising step's scope: the copy must outlive it
                    half = MappedArrays.resident(halfAlias);
                    single = MappedArrays.resident(singleAlias);
                }
                assertFalse(half.isReleased(), "the copy must outlive the scope of its first use");
                assertSame(m, half.getManager());
                assertFalse(MappedArrays.isMapped(halfAlias));
                assertSame(half, MappedArrays.resident(halfAlias), "one copy, made at the first use");
                assertTrue(halfAlias.isReleased(), "the alias is closed once copied");
                check(file, values, half, single);
            }
        }
    }

    private static void check(Path file, float[] values, NDArray half, NDArray single) throws Exception {
        Files.write(file, new byte[(int) Files.size(file)]);
        assertEquals(DataType.FLOAT16, half.getDataType());
        assertEquals(DataType.FLOAT32, single.getDataType());
        assertArrayEquals(values, half.toType(DataType.FLOAT32, false).toFloatArray());
        assertArrayEquals(values, single.toFloatArray());
    }
}
