package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromptConditionerTest {
    private static SafetensorsFile file;
    private static NDManager weights;
    private static ClipTextEncoder encoder;
    private static PromptConditioner conditioner;

    @BeforeAll
    static void load() {
        file = SafetensorsFile.open(TestData.model("tiny-sd15").resolve("text_encoder/model.safetensors"));
        weights = NDManager.newBaseManager();
        encoder = ClipTextEncoder.load(new PrefixWeights(file, ""), weights);
        conditioner = new PromptConditioner(ClipTokenizer.standard(), encoder);
    }

    @AfterAll
    static void close() {
        weights.close();
        file.close();
    }

    private static float[] plain(NDManager m, int[] ids77, int clipSkip) {
        return encoder.encode(m.create(ids77, new Shape(1, 77)), clipSkip).toFloatArray();
    }

    @Test
    void unweightedPromptEqualsPlainEncodingAndGolden() {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile g = SafetensorsFile.open(TestData.golden().resolve("components/text_encoder.safetensors"))) {
            PromptConditioner.Conditioning c = conditioner.encode("a photo of a cat", 1, m);
            assertEquals(new Shape(1, 77, 32), c.embedding().getShape());
            float[] got = c.embedding().toFloatArray();
            assertArrayEquals(plain(m, ClipTokenizer.standard().encodePadded("a photo of a cat", 77), 1), got);
            float[] golden = Arrays.copyOfRange(g.floats("last_hidden_state"), 0, 77 * 32);
            double diff = ClipTextEncoderTest.maxDiff(got, golden);
            System.out.printf("PromptConditioner 'a photo of a cat' vs golden last_hidden_state[0]: max |diff| = %.3g%n", diff);
            assertTrue(diff < ClipTextEncoderTest.TOLERANCE);
            float[] skip2 = conditioner.encode("a photo of a cat", 2, m).embedding().toFloatArray();
            double diff2 = ClipTextEncoderTest.maxDiff(skip2, Arrays.copyOfRange(g.floats("clip_skip2"), 0, 77 * 32));
            System.out.printf("PromptConditioner clip skip 2 vs golden clip_skip2[0]: max |diff| = %.3g%n", diff2);
            assertTrue(diff2 < ClipTextEncoderTest.TOLERANCE);
        }
    }

    @Test
    void weightsScaleTokensThenRestoreTheMean() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] weighted = conditioner.encode("a (red cat:1.5)", 1, m).embedding().toFloatArray();
            float[] z = plain(m, ClipTokenizer.standard().encodePadded("a red cat", 77), 1);
            int h = 32;
            double[] w = new double[77];
            Arrays.fill(w, 1.0);
            w[2] = 1.5f;
            w[3] = 1.5f;
            double before = 0;
            double after = 0;
            for (int i = 0; i < z.length; i++) {
                before += z[i];
                after += z[i] * w[i / h];
            }
            double scale = before / after;
            double max = 0;
            double sumOut = 0;
            for (int i = 0; i < z.length; i++) {
                double expected = z[i] * w[i / h] * scale;
                max = Math.max(max, Math.abs(expected - weighted[i]));
                sumOut += weighted[i];
            }
            System.out.printf("PromptConditioner weighting vs hand computation: max |diff| = %.3g (scale %.6f)%n", max, scale);
            assertTrue(max < 1e-5, "weighted tokens: " + max);
            assertEquals(before / z.length, sumOut / z.length, 1e-6, "mean restored");
        }
    }

    @Test
    void longPromptGivesTwoChunksAndPairIsPadded() {
        try (NDManager m = NDManager.newBaseManager()) {
            String longPrompt = "cat ".repeat(80).trim() + " <lora:style:0.7>";
            PromptConditioner.ConditioningPair pair = conditioner.encodePair(longPrompt, "", 1, m);
            assertEquals(new Shape(1, 154, 32), pair.positive().getShape());
            assertEquals(new Shape(1, 154, 32), pair.negative().getShape());
            assertEquals(List.of(new LoraTag("style", 0.7, 0.7)), pair.loras());
            List<TokenChunk> chunks = conditioner.chunks(longPrompt);
            assertEquals(2, chunks.size());
            float[] pos = pair.positive().toFloatArray();
            for (int c = 0; c < 2; c++) {
                float[] alone = plain(m, chunks.get(c).ids(), 1);
                double d = ClipTextEncoderTest.maxDiff(alone, Arrays.copyOfRange(pos, c * 77 * 32, (c + 1) * 77 * 32));
                assertTrue(d < 1e-6, "chunk " + c + ": " + d);
            }
            float[] neg = pair.negative().toFloatArray();
            float[] empty = plain(m, PromptChunker.empty().ids(), 1);
            for (int c = 0; c < 2; c++) {
                double d = ClipTextEncoderTest.maxDiff(empty, Arrays.copyOfRange(neg, c * 77 * 32, (c + 1) * 77 * 32));
                assertTrue(d < 1e-6, "negative chunk " + c + ": " + d);
            }
            NDArray one = conditioner.encode("", 1, m).embedding();
            assertEquals(new Shape(1, 77, 32), one.getShape());
        }
    }

    @org.junit.jupiter.api.Test
    void aChunkWithZeroMeanStaysFinite() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray z = m.create(new float[] {1, -1, 2, -2}, new ai.djl.ndarray.types.Shape(1, 2, 2));
            ai.djl.ndarray.NDArray w = m.ones(new ai.djl.ndarray.types.Shape(1, 2, 1));
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, -1, 2, -2},
                    PromptConditioner.applyWeights(z, w).toFloatArray());
        }
    }
}
