package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** The CLIP text encoder against transformers' output on the tiny model, from both file layouts. */
class ClipTextEncoderTest {
    static final double TOLERANCE = 1e-5;

    @Test
    void ldmSingleFile() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"))) {
            check("LDM single file", new PrefixWeights(f, "cond_stage_model.transformer."));
        }
    }

    @Test
    void diffusersFolder() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15").resolve("text_encoder/model.safetensors"))) {
            check("diffusers text_encoder", new PrefixWeights(f, ""));
        }
    }

    @Test
    void configFromShapes() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"))) {
            ClipTextConfig c = ClipTextConfig.fromWeights(new PrefixWeights(f, "cond_stage_model.transformer."));
            assertEquals(new ClipTextConfig(32, 3, 4, 37, 77, 49408, true), c);
            assertTrue(c.headsAssumed());
            ClipTextConfig given = ClipTextConfig.fromWeights(new PrefixWeights(f, "cond_stage_model.transformer."), 4);
            assertFalse(given.headsAssumed());
        }
    }

    private static void check(String label, WeightSource w) {
        Path golden = TestData.golden().resolve("components/text_encoder.safetensors");
        try (SafetensorsFile g = SafetensorsFile.open(golden); NDManager m = NDManager.newBaseManager()) {
            ClipTextEncoder enc = ClipTextEncoder.load(w, m);
            long[] ids = g.longs("input_ids");
            long[] shape = g.info("input_ids").shape();
            NDArray input = m.create(ids, new Shape(shape));
            for (String name : new String[] {"last_hidden_state", "clip_skip2"}) {
                int skip = name.equals("clip_skip2") ? 2 : 1;
                NDArray out = enc.encode(input, skip);
                assertArrayEquals(g.info(name).shape(), out.getShape().getShape());
                double diff = maxDiff(out.toFloatArray(), g.floats(name));
                System.out.printf("ClipTextEncoder %s %s (clip skip %d): max |diff| = %.3g%n", label, name, skip, diff);
                assertTrue(diff < TOLERANCE, name + " max |diff| " + diff);
            }
            NDArray asInt = input.toType(ai.djl.ndarray.types.DataType.INT32, false);
            double diff = maxDiff(enc.encode(asInt, 1).toFloatArray(), g.floats("last_hidden_state"));
            assertTrue(diff < TOLERANCE, "int32 ids: " + diff);
            assertThrows(IllegalArgumentException.class, () -> enc.encode(input, 4));
            assertThrows(IllegalArgumentException.class, () -> enc.encode(m.create(new long[] {49406, 49408}, new Shape(1, 2)), 1));
        }
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
