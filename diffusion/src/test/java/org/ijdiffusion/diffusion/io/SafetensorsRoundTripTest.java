package org.ijdiffusion.diffusion.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsEveryFloatTypeAsFloat32() throws Exception {
        float[] v = {1.5f, -2.25f, 0.0078125f, 1024f, -0.0f, 3.0f};
        Path f = dir.resolve("t.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .addFloats("a", DType.F32, new long[] {2, 3}, v)
                .addFloats("b", DType.F16, new long[] {6}, v)
                .addFloats("c", DType.BF16, new long[] {3, 2}, v)
                .addLongs("ids", new long[] {3}, new long[] {49406, 320, 49407})
                .write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            assertEquals("pt", s.metadata().get("format"));
            for (String n : new String[] {"a", "b", "c"}) {
                assertArrayEquals(v, s.floats(n), n);
                NDArray arr = s.toFloat32(n, m);
                assertArrayEquals(v, arr.toFloatArray(), n + " as NDArray");
                assertArrayEquals(s.info(n).shape(), arr.getShape().getShape());
            }
            assertArrayEquals(new long[] {49406, 320, 49407}, s.longs("ids"));
        }
    }

    @Test
    void readsTheTinyCheckpoint() {
        try (SafetensorsFile s = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"))) {
            assertEquals(DType.F16, s.info("model.diffusion_model.input_blocks.0.0.weight").dtype());
            assertArrayEquals(new long[] {32, 4, 3, 3}, s.info("model.diffusion_model.input_blocks.0.0.weight").shape());
        }
    }
}
