package org.ijdiffusion.diffusion.nn.taesd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.testutil.Diffs;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TAESD decode and encode equal the reference's (taesd.py / diffusers AutoencoderTiny on the same
 * random weights) within 1e-4, from the vae_approx files and from the diffusers folder.
 */
class TaesdGoldenTest {
    private static final double TOL = 1e-4;
    private static NDManager manager;
    private static SafetensorsFile golden;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        golden = SafetensorsFile.open(dir().resolve("taesd_golden.safetensors"));
    }

    @AfterAll
    static void close() {
        golden.close();
        manager.close();
    }

    static Path dir() {
        return TestData.root().resolve("taesd");
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"taesd_decoder.safetensors", "taesd-diffusers", "."})
    void decodeAndEncodeEqualTheReference(String where) {
        try (Taesd t = Taesd.load(dir().resolve(where).normalize(), manager)) {
            assertEquals(4, t.latentChannels());
            assertTrue(t.hasEncoder(), "the encoder is found beside the decoder / in the folder");
            NDArray latent = golden.toFloat32("latent", manager);
            NDArray image = golden.toFloat32("image_01", manager);
            NDArray decoded = t.decodeRaw(latent);
            NDArray encoded = t.encode(image);
            check("decode", where, golden.floats("decoded_01"), decoded, t.decodeRaw(f64(latent)));
            check("encode", where, golden.floats("encoded"), encoded, t.encode(f64(image)));
            float[] clamped = t.decode(latent).toFloatArray();
            float[] raw = decoded.toFloatArray();
            for (int i = 0; i < raw.length; i++) {
                assertEquals(Math.max(0f, Math.min(1f, raw[i])), clamped[i], 0f);
            }
            assertEquals(golden.toFloat32("decoded_01", manager).getShape(), decoded.getShape());
        }
    }

    private static NDArray f64(NDArray x) {
        return x.toType(DataType.FLOAT64, false);
    }

    /**
     * max |diff| to the reference, printed with the scale of the values and the reference's own float32
     * rounding error (its distance to the same network evaluated here in float64). The random weights give
     * outputs up to ~165 (float32 ulp 1.5e-5 there), so the 1e-4 bound is applied in units of the
     * reference's scale, max |ref| (as PipelineStepsGoldenTest does); in absolute terms ours must not be
     * further from the reference than twice the reference is from the float64 result.
     */
    private static void check(String what, String where, float[] ref, NDArray ours, NDArray ours64) {
        float[] mine = ours.toFloatArray();
        float[] exact = ours64.toType(DataType.FLOAT32, false).toFloatArray();
        double d = Diffs.maxAbsDiff(ref, mine);
        double refError = Diffs.maxAbsDiff(ref, exact);
        double scale = 1;
        for (float v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        System.out.printf("TAESD %s from %-26s max|diff| %.3e (values up to %.1f: relative %.2e); reference vs float64 "
                + "%.3e, ours vs float64 %.3e%n", what, where, d, scale, d / scale, refError, Diffs.maxAbsDiff(mine, exact));
        assertTrue(d / scale <= TOL, what + " relative " + d / scale);
        assertTrue(d <= Math.max(TOL, 2 * refError), what + " " + d + " vs the reference's own rounding " + refError);
    }

    @Test
    void picklesAndEncoderOnlyFilesAreRefused() throws Exception {
        Path pth = tmp.resolve("taesd_decoder.pth");
        Files.write(pth, new byte[] {(byte) 0x80, 2, 'c', 'x'});
        ModelFileException e = assertThrows(ModelFileException.class, () -> Taesd.load(pth, manager));
        assertTrue(e.getMessage().toLowerCase().contains("pickle"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> Taesd.load(dir().resolve("taesd_encoder.safetensors"), manager));
        assertTrue(e.getMessage().contains("encoder"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> Taesd.load(tmp.resolve("taesdxl_decoder.safetensors"), manager));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void aFileWithAnUnknownTensorIsRefusedByName() throws Exception {
        Path copy = tmp.resolve("taesd_decoder.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(dir().resolve("taesd_decoder.safetensors"))) {
            for (String n : f.names()) {
                w.addFloats(n, DType.F32, f.info(n).shape(), f.floats(n));
            }
        }
        w.addFloats("19.extra", DType.F32, new long[] {2}, new float[] {1, 2});
        w.write(copy);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Taesd.load(copy, manager));
        assertTrue(e.getMessage().contains("'19.extra'"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("taesd_encoder.safetensors")));
    }
}
