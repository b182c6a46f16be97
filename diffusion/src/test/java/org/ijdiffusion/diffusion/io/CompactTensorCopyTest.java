package org.ijdiffusion.diffusion.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights read once per step ({@link SafetensorsFile#toCompact}) are the engine's own copies: their
 * values survive the file being closed and overwritten (they do not alias its pages).
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
            NDArray half;
            NDArray single;
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                half = f.toCompact("half", m);
                single = f.toCompact("single", m);
            }
            Files.write(file, new byte[(int) Files.size(file)]);
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertEquals(DataType.FLOAT32, single.getDataType());
            assertArrayEquals(values, half.toType(DataType.FLOAT32, false).toFloatArray());
            assertArrayEquals(values, single.toFloatArray());
        }
    }
}
