package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptChunkerTest {
    private static final ClipTokenizer TOK = ClipTokenizer.standard();
    private static final int COMMA = 267;

    private static List<TokenChunk> chunks(String prompt, int backtrack) {
        return new PromptChunker(TOK, backtrack).chunk(PromptParser.parse(prompt).fragments());
    }

    /** The real tokens of a chunk (between BOS and the first EOS). */
    private static int[] body(TokenChunk c) {
        int[] ids = c.ids();
        int end = 1;
        while (ids[end] != ClipTokenizer.EOS) {
            end++;
        }
        return Arrays.copyOfRange(ids, 1, end);
    }

    private static void assertFramed(TokenChunk c) {
        assertEquals(77, c.ids().length);
        assertEquals(ClipTokenizer.BOS, c.ids()[0]);
        assertEquals(ClipTokenizer.EOS, c.ids()[76]);
        assertEquals(1f, c.weights()[0]);
        assertEquals(1f, c.weights()[76]);
        int n = body(c).length;
        for (int i = n + 1; i < 77; i++) {
            assertEquals(ClipTokenizer.PAD, c.ids()[i]);
            assertEquals(1f, c.weights()[i]);
        }
    }

    private static int[] concat(List<TokenChunk> cs) {
        List<Integer> all = new ArrayList<>();
        for (TokenChunk c : cs) {
            for (int id : body(c)) {
                all.add(id);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void emptyPromptIsOneGoldenChunk() {
        List<TokenChunk> cs = chunks("", 20);
        assertEquals(1, cs.size());
        assertArrayEquals(TOK.encodePadded("", 77), cs.get(0).ids());
        assertArrayEquals(PromptChunker.empty().ids(), cs.get(0).ids());
        assertTrue(cs.get(0).unweighted());
    }

    @Test
    void shortPromptMatchesTruncatedGoldenForm() {
        String p = "a photograph of an astronaut riding a horse";
        List<TokenChunk> cs = chunks(p, 20);
        assertEquals(1, cs.size());
        assertArrayEquals(TOK.encodePadded(p, 77), cs.get(0).ids());
    }

    @Test
    void longPromptWithoutCommasSplitsAt75() {
        String p = "cat ".repeat(80).trim();
        List<TokenChunk> cs = chunks(p, 20);
        assertEquals(2, cs.size());
        cs.forEach(PromptChunkerTest::assertFramed);
        assertEquals(75, body(cs.get(0)).length);
        assertEquals(5, body(cs.get(1)).length);
        assertEquals(1, chunks("cat ".repeat(75), 20).size());
        assertEquals(2, chunks("cat ".repeat(76), 20).size());
    }

    @Test
    void longPromptSplitsAfterLastCommaWithin20Tokens() {
        String p = "a very long prompt " + String.join(", ", java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "word" + i + " with detail").toList());
        int[] all = TOK.encode(p);
        assertEquals(233, all.length);
        List<TokenChunk> plain = chunks(p, 0);
        assertEquals(4, plain.size());
        plain.forEach(PromptChunkerTest::assertFramed);
        assertArrayEquals(all, concat(plain));
        assertEquals(75, body(plain.get(0)).length);

        List<TokenChunk> cs = chunks(p, 20);
        cs.forEach(PromptChunkerTest::assertFramed);
        // sizes from a Python transcription of A1111's tokenize_line run on this prompt's golden ids
        assertArrayEquals(new int[] {72, 72, 72, 17}, cs.stream().mapToInt(c -> body(c).length).toArray());
        assertArrayEquals(all, concat(cs));
        for (int i = 0; i < cs.size() - 1; i++) {
            int[] b = body(cs.get(i));
            assertTrue(b.length <= 75 && b.length > 55, "chunk " + i + " has " + b.length);
            assertEquals(COMMA, b[b.length - 1], "chunk " + i + " ends after a comma");
        }
    }

    @Test
    void breakStartsANewChunk() {
        List<TokenChunk> cs = chunks("a cat BREAK a dog", 20);
        assertEquals(2, cs.size());
        assertArrayEquals(TOK.encode("a cat"), body(cs.get(0)));
        assertArrayEquals(TOK.encode("a dog"), body(cs.get(1)));
        assertEquals(1, chunks("a cat BREAK", 20).size());
        assertEquals(2, chunks("BREAK a cat", 20).size());
    }

    @Test
    void perTokenWeights() {
        TokenChunk c = chunks("a (red cat:1.5) [dog]", 20).get(0);
        int[] ids = body(c);
        assertArrayEquals(TOK.encode("a red cat dog"), ids);
        assertArrayEquals(new float[] {1f, 1f, 1.5f, 1.5f, (float) (1 / 1.1), 1f},
                Arrays.copyOfRange(c.weights(), 0, 6));
    }
}
