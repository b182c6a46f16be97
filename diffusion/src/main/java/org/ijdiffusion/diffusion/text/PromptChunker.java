package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits weighted prompt fragments into text-encoder chunks the way A1111 does: the tokens of the
 * fragments in order, 75 per chunk, each chunk framed as BOS + 75 + EOS (77 ids, padded with EOS).
 * {@code BREAK} closes the current chunk. When a chunk fills up and its last comma is at most
 * {@code commaBacktrack} tokens from the end (A1111's default 20; 0 disables), the tokens after that
 * comma move to the next chunk so a phrase is not cut in two. An empty prompt gives one chunk
 * BOS, EOS, EOS... (what the reference uses for the empty negative prompt).
 */
public final class PromptChunker {
    /** Tokens per chunk between BOS and EOS. */
    public static final int CHUNK_TOKENS = 75;
    /** A1111's default "comma padding backtrack". */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;

    private final ClipTokenizer tokenizer;
    private final int commaBacktrack;
    private final int comma;

    public PromptChunker(ClipTokenizer tokenizer) {
        this(tokenizer, DEFAULT_COMMA_BACKTRACK);
    }

    public PromptChunker(ClipTokenizer tokenizer, int commaBacktrack) {
        if (commaBacktrack < 0 || commaBacktrack > CHUNK_TOKENS) {
            throw new IllegalArgumentException("comma backtrack must be in 0.." + CHUNK_TOKENS + ", got " + commaBacktrack);
        }
        this.tokenizer = tokenizer;
        this.commaBacktrack = commaBacktrack;
        this.comma = tokenizer.idOf(",</w>");
    }

    /** The chunks of a parsed prompt (at least one). */
    public List<TokenChunk> chunk(List<PromptParser.Fragment> fragments) {
        Builder b = new Builder();
        for (PromptParser.Fragment f : fragments) {
            if (f.isBreak()) {
                b.flush();
                continue;
            }
            float weight = (float) f.weight();
            for (int token : tokenizer.encode(f.text())) {
                b.add(token, weight);
            }
        }
        if (b.size() > 0 || b.chunks.isEmpty()) {
            b.flush();
        }
        return b.chunks;
    }

    /** The one chunk of the empty prompt. */
    public static TokenChunk empty() {
        return frame(new int[0], new float[0], 0);
    }

    private static TokenChunk frame(int[] tokens, float[] weights, int n) {
        int[] ids = new int[CHUNK_TOKENS + 2];
        float[] w = new float[CHUNK_TOKENS + 2];
        Arrays.fill(ids, ClipTokenizer.PAD);
        Arrays.fill(w, 1f);
        ids[0] = ClipTokenizer.BOS;
        System.arraycopy(tokens, 0, ids, 1, n);
        System.arraycopy(weights, 0, w, 1, n);
        ids[ids.length - 1] = ClipTokenizer.EOS;
        return new TokenChunk(ids, w);
    }

    /** The chunk being filled plus the finished ones. */
    private final class Builder {
        final List<TokenChunk> chunks = new ArrayList<>();
        int[] tokens = new int[CHUNK_TOKENS];
        float[] weights = new float[CHUNK_TOKENS];
        int n;
        int lastComma = -1;

        int size() {
            return n;
        }

        void add(int token, float weight) {
            if (token == comma) {
                lastComma = n;
            } else if (commaBacktrack != 0 && n == CHUNK_TOKENS && lastComma != -1 && n - lastComma <= commaBacktrack) {
                int cut = lastComma + 1;
                int[] movedTokens = Arrays.copyOfRange(tokens, cut, n);
                float[] movedWeights = Arrays.copyOfRange(weights, cut, n);
                n = cut;
                flush();
                System.arraycopy(movedTokens, 0, tokens, 0, movedTokens.length);
                System.arraycopy(movedWeights, 0, weights, 0, movedWeights.length);
                n = movedTokens.length;
            }
            if (n == CHUNK_TOKENS) {
                flush();
            }
            tokens[n] = token;
            weights[n] = weight;
            n++;
        }

        void flush() {
            chunks.add(frame(tokens, weights, n));
            n = 0;
            lastComma = -1;
        }
    }
}
