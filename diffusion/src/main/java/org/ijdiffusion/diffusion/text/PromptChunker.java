package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits weighted prompt fragments into text-encoder chunks the way A1111 does: the tokens of the
 * fragments in order, 75 per chunk, each chunk framed as BOS + 75 + EOS (77 ids, padded with EOS).
 * {@code BREAK} closes the current chunk. When a chunk fills up and its last comma is at most
 * {@code commaBacktrack} tokens from the end (A1111's default 20; 0 disables), the tokens after that
 * comma move to the next chunk so a phrase is not cut in two. An empty prompt gives one chunk
 * BOS, EOS, EOS... (what the reference uses for the empty negative prompt).
 *
 * <p>With an {@link EmbeddingLibrary}, textual-inversion embeddings take one position per vector:
 * {@code embedding:name} (ComfyUI) anywhere, or an embedding's bare name (A1111: its tokens found in
 * the prompt's tokens, longest name first). An embedding that does not fit in the current chunk starts
 * the next one (as A1111); when a comma backtrack moves tokens to the next chunk, the embeddings among
 * them move along (A1111 leaves their vectors behind).
 */
public final class PromptChunker {
    /** Tokens per chunk between BOS and EOS. */
    public static final int CHUNK_TOKENS = 75;
    /** A1111's default "comma padding backtrack". */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;

    private final ClipTokenizer tokenizer;
    private final int commaBacktrack;
    private final int comma;
    private final EmbeddingMatcher embeddings;

    public PromptChunker(ClipTokenizer tokenizer) {
        this(tokenizer, DEFAULT_COMMA_BACKTRACK);
    }

    public PromptChunker(ClipTokenizer tokenizer, int commaBacktrack) {
        this(tokenizer, commaBacktrack, EmbeddingLibrary.EMPTY);
    }

    /** A chunker that expands the embeddings of {@code library} (see the class comment). */
    public PromptChunker(ClipTokenizer tokenizer, int commaBacktrack, EmbeddingLibrary library) {
        if (commaBacktrack < 0 || commaBacktrack > CHUNK_TOKENS) {
            throw new IllegalArgumentException("comma backtrack must be in 0.." + CHUNK_TOKENS + ", got " + commaBacktrack);
        }
        this.tokenizer = tokenizer;
        this.commaBacktrack = commaBacktrack;
        this.comma = tokenizer.idOf(",</w>");
        this.embeddings = new EmbeddingMatcher(tokenizer, library);
    }

    /** The same chunker with another embeddings library. */
    public PromptChunker withEmbeddings(EmbeddingLibrary library) {
        return new PromptChunker(tokenizer, commaBacktrack, library);
    }

    private static final Pattern EXPLICIT = Pattern.compile("embedding:([^\\s,()\\[\\]<>:]+)");

    /** The chunks of a parsed prompt (at least one). */
    public List<TokenChunk> chunk(List<PromptParser.Fragment> fragments) {
        Builder b = new Builder();
        for (PromptParser.Fragment f : fragments) {
            if (f.isBreak()) {
                b.flush();
                continue;
            }
            float weight = (float) f.weight();
            Matcher m = EXPLICIT.matcher(f.text());
            int at = 0;
            while (m.find()) {
                addText(b, f.text().substring(at, m.start()), weight);
                b.addEmbedding(embeddings.library().get(m.group(1)), weight);
                at = m.end();
            }
            addText(b, f.text().substring(at), weight);
        }
        if (b.size() > 0 || b.chunks.isEmpty()) {
            b.flush();
        }
        return b.chunks;
    }

    private void addText(Builder b, String text, float weight) {
        int[] tokens = tokenizer.encode(text);
        int i = 0;
        while (i < tokens.length) {
            EmbeddingMatcher.Match match = embeddings.at(tokens, i);
            if (match == null) {
                b.add(tokens[i], weight);
                i++;
            } else {
                b.addEmbedding(embeddings.library().get(match.name()), weight);
                i += match.length();
            }
        }
    }

    /** The one chunk of the empty prompt. */
    public static TokenChunk empty() {
        return frame(new int[0], new float[0], 0, List.of());
    }

    private static TokenChunk frame(int[] tokens, float[] weights, int n, List<TokenChunk.Fix> fixes) {
        int[] ids = new int[CHUNK_TOKENS + 2];
        float[] w = new float[CHUNK_TOKENS + 2];
        Arrays.fill(ids, ClipTokenizer.PAD);
        Arrays.fill(w, 1f);
        ids[0] = ClipTokenizer.BOS;
        System.arraycopy(tokens, 0, ids, 1, n);
        System.arraycopy(weights, 0, w, 1, n);
        ids[ids.length - 1] = ClipTokenizer.EOS;
        return new TokenChunk(ids, w, fixes);
    }

    /** The chunk being filled plus the finished ones. */
    private final class Builder {
        final List<TokenChunk> chunks = new ArrayList<>();
        int[] tokens = new int[CHUNK_TOKENS];
        float[] weights = new float[CHUNK_TOKENS];
        int n;
        int lastComma = -1;
        /** Embeddings in the chunk being filled, offsets counted from its first token (without BOS). */
        List<TokenChunk.Fix> fixes = new ArrayList<>();

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
                List<TokenChunk.Fix> movedFixes = new ArrayList<>();
                for (TokenChunk.Fix f : List.copyOf(fixes)) {
                    if (f.offset() >= cut) {
                        fixes.remove(f);
                        movedFixes.add(new TokenChunk.Fix(f.offset() - cut, f.embedding()));
                    }
                }
                n = cut;
                flush();
                System.arraycopy(movedTokens, 0, tokens, 0, movedTokens.length);
                System.arraycopy(movedWeights, 0, weights, 0, movedWeights.length);
                n = movedTokens.length;
                fixes.addAll(movedFixes);
            }
            if (n == CHUNK_TOKENS) {
                flush();
            }
            tokens[n] = token;
            weights[n] = weight;
            n++;
        }

        /** An embedding's vectors: placeholders (token 0) that the encoder replaces by the vectors. */
        void addEmbedding(TextualInversion e, float weight) {
            if (e.vectors() > CHUNK_TOKENS) {
                throw new IllegalArgumentException("Embedding " + e.name() + " has " + e.vectors() + " vectors; at most "
                        + CHUNK_TOKENS + " fit in a prompt chunk.");
            }
            if (n + e.vectors() > CHUNK_TOKENS) {
                flush();
            }
            fixes.add(new TokenChunk.Fix(n, e));
            for (int i = 0; i < e.vectors(); i++) {
                tokens[n] = 0;
                weights[n] = weight;
                n++;
            }
        }

        void flush() {
            List<TokenChunk.Fix> framed = new ArrayList<>();
            for (TokenChunk.Fix f : fixes) {
                framed.add(new TokenChunk.Fix(f.offset() + 1, f.embedding()));
            }
            chunks.add(frame(tokens, weights, n, framed));
            n = 0;
            lastComma = -1;
            fixes = new ArrayList<>();
        }
    }
}
