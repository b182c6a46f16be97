package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Textual inversion against a hand-computed expectation: an embedding whose vectors are the token
 * embeddings of "photo" and "cat" must condition exactly like those two words.
 */
class TextualInversionTest {
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.standard();
    private static SafetensorsFile file;
    private static NDManager weights;
    private static PromptConditioner plain;
    private static float[] table;
    private static int hidden;

    @TempDir
    static Path dir;
    private static PromptConditioner withTi;

    @BeforeAll
    static void load() throws Exception {
        file = SafetensorsFile.open(TestData.model("tiny-sd15").resolve("text_encoder/model.safetensors"));
        weights = NDManager.newBaseManager();
        ClipTextEncoder encoder = ClipTextEncoder.load(new PrefixWeights(file, ""), weights);
        hidden = encoder.config().hidden();
        table = file.floats("text_model.embeddings.token_embedding.weight");
        plain = new PromptConditioner(TOKENIZER, encoder);
        write("mycat", "emb_params", rows("photo", "cat"), 2, hidden);
        write("one-vector", "whatever", rows("dog"), hidden);
        write("wide", "emb_params", new float[768], 1, 768);
        Files.write(dir.resolve("old.pt"), new byte[] {(byte) 0x80, 2, 'c'});
        withTi = plain.withEmbeddings(EmbeddingLibrary.scan(dir));
    }

    @AfterAll
    static void close() {
        weights.close();
        file.close();
    }

    /** The token-embedding rows of the words (one token each). */
    private static float[] rows(String... words) {
        float[] out = new float[words.length * hidden];
        for (int i = 0; i < words.length; i++) {
            int[] ids = TOKENIZER.encode(words[i]);
            assertEquals(1, ids.length, words[i]);
            System.arraycopy(table, ids[0] * hidden, out, i * hidden, hidden);
        }
        return out;
    }

    /** An embedding file holding one tensor of this shape ([n, width], or [width] for one vector). */
    private static void write(String name, String tensor, float[] data, long... shape) throws Exception {
        new SafetensorsWriter().addFloats(tensor, DType.F32, shape, data).write(dir.resolve(name + ".safetensors"));
    }

    private static float[] encode(PromptConditioner c, String prompt) {
        try (NDManager m = NDManager.newBaseManager()) {
            return c.encode(prompt, 1, m).embedding().toFloatArray();
        }
    }

    @Test
    void embeddingConditionsLikeTheWordsItsVectorsCameFrom() {
        float[] expected = encode(plain, "a photo cat on a mat");
        assertArrayEquals(expected, encode(withTi, "a mycat on a mat"));
        assertArrayEquals(expected, encode(withTi, "a embedding:mycat on a mat"));
        assertArrayEquals(expected, encode(withTi, "a embedding:folder/mycat.safetensors on a mat"));
        assertArrayEquals(encode(plain, "a (photo cat:1.3), dog"), encode(withTi, "a (mycat:1.3), one-vector"));
        assertArrayEquals(encode(plain, "two dog"), encode(withTi, "two embedding:one-vector.safetensors"));
        assertEquals(List.of("mycat", "one-vector"),
                withTi.embeddingsIn("a mycat", "embedding:one-vector").stream().map(TextualInversion::name).toList());
        assertEquals(12, withTi.embeddingsIn("mycat").get(0).shortHash().length());
    }

    @Test
    void chunksPlaceTheVectorsAndMoveAWholeEmbeddingToTheNextChunk() {
        List<TokenChunk> c = withTi.chunks("a mycat");
        assertEquals(1, c.size());
        assertEquals(List.of(new TokenChunk.Fix(2, withTi.embeddingsIn("mycat").get(0))), c.get(0).fixes());
        String a74 = String.join(" ", java.util.Collections.nCopies(74, "a"));
        c = withTi.chunks(a74 + " mycat");
        assertEquals(2, c.size());
        assertTrue(c.get(0).fixes().isEmpty());
        assertEquals(1, c.get(1).fixes().get(0).offset());
        assertEquals(ClipTokenizer.PAD, c.get(0).ids()[75], "the first chunk ends after 74 tokens");
        float[] expected = encode(plain, a74 + " BREAK photo cat");
        assertArrayEquals(expected, encode(withTi, a74 + " mycat"));
        // a full chunk whose last comma is near its end: the tokens after the comma, the embedding among
        // them, move to the next chunk, and so do its vectors
        String a70 = String.join(" ", java.util.Collections.nCopies(70, "a"));
        c = withTi.chunks(a70 + ", b mycat c d");
        assertEquals(2, c.size());
        assertEquals(2, c.get(1).fixes().get(0).offset());
        assertArrayEquals(encode(plain, a70 + ", b photo cat c d"), encode(withTi, a70 + ", b mycat c d"));
    }

    @Test
    void badEmbeddingsGiveClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(withTi, "embedding:mycta"));
        assertTrue(e.getMessage().contains("Did you mean: mycat"), e.getMessage());
        ModelFileException p = assertThrows(ModelFileException.class, () -> encode(withTi, "embedding:old"));
        assertTrue(p.getMessage().contains("pickle"), p.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> encode(withTi, "a wide cat"));
        assertTrue(e.getMessage().contains("width 768"), e.getMessage());
        assertArrayEquals(encode(plain, "mycat"), encode(plain, "mycat"), "no library: plain words");
        e = assertThrows(IllegalArgumentException.class, () -> encode(plain, "embedding:mycat"));
        assertTrue(e.getMessage().contains("no embeddings folder"), e.getMessage());
        assertTrue(Arrays.equals(encode(plain, "a cat"), encode(withTi, "a cat")));
    }
}
