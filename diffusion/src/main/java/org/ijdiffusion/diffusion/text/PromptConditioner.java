package org.ijdiffusion.diffusion.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompt text to UNet conditioning, A1111 style: parse ({@link PromptParser}), chunk
 * ({@link PromptChunker}), encode every chunk ({@link ClipTextEncoder}), apply the token weights
 * (each token's hidden state times its weight, then the whole chunk rescaled so its mean equals the
 * unweighted mean), concatenate the chunks along the sequence: [1, 77 * chunks, hidden].
 * Textual-inversion embeddings found by the chunker replace the token embeddings at their positions.
 */
public final class PromptConditioner {
    private final PromptChunker chunker;
    private final ClipTextEncoder encoder;

    /** An encoded prompt and the LoRA tags found in it. */
    public record Conditioning(NDArray embedding, List<LoraTag> loras) {
    }

    /** Positive and negative conditioning of equal length; LoRA tags come from the positive prompt. */
    public record ConditioningPair(NDArray positive, NDArray negative, List<LoraTag> loras) {
    }

    public PromptConditioner(ClipTokenizer tokenizer, ClipTextEncoder encoder) {
        this(new PromptChunker(tokenizer), encoder);
    }

    public PromptConditioner(PromptChunker chunker, ClipTextEncoder encoder) {
        this.chunker = chunker;
        this.encoder = encoder;
    }

    /** The same conditioner expanding the embeddings of {@code library} in prompts. */
    public PromptConditioner withEmbeddings(EmbeddingLibrary library) {
        return new PromptConditioner(chunker.withEmbeddings(library), encoder);
    }

    /** The embeddings the prompts use, each once, in order of appearance (for the infotext). */
    public List<TextualInversion> embeddingsIn(String... prompts) {
        Map<String, TextualInversion> used = new LinkedHashMap<>();
        for (String p : prompts) {
            for (TokenChunk c : chunks(p)) {
                c.fixes().forEach(f -> used.putIfAbsent(f.embedding().name(), f.embedding()));
            }
        }
        return List.copyOf(used.values());
    }

    /** The chunks of a prompt (tags removed), e.g. to show the token count. */
    public List<TokenChunk> chunks(String prompt) {
        return chunker.chunk(PromptParser.parse(prompt).fragments());
    }

    /** One prompt: [1, 77 * chunks, hidden] in {@code manager}. */
    public Conditioning encode(String prompt, int clipSkip, NDManager manager) {
        PromptParser.Parsed parsed = PromptParser.parse(prompt);
        List<TokenChunk> chunks = chunker.chunk(parsed.fragments());
        return new Conditioning(encodeChunks(List.of(chunks), clipSkip, manager).get(0), parsed.loras());
    }

    /**
     * Positive and negative prompt; the shorter one is padded with empty-prompt chunks so both have
     * the same length (as A1111). LoRA tags of the negative prompt are removed and ignored.
     */
    public ConditioningPair encodePair(String positive, String negative, int clipSkip, NDManager manager) {
        return encodePair(positive, negative, clipSkip, clipSkip, manager);
    }

    /**
     * As {@link #encodePair(String, String, int, NDManager)} with a separate clip skip for the negative
     * prompt. A1111 and ComfyUI use the same for both; diffusers' pipelines (and so the goldens) apply
     * {@code clip_skip} to the prompt only and encode the negative prompt with the last layer (1).
     */
    public ConditioningPair encodePair(String positive, String negative, int clipSkip, int negativeClipSkip,
            NDManager manager) {
        PromptParser.Parsed pos = PromptParser.parse(positive);
        PromptParser.Parsed neg = PromptParser.parse(negative);
        List<TokenChunk> p = new ArrayList<>(chunker.chunk(pos.fragments()));
        List<TokenChunk> n = new ArrayList<>(chunker.chunk(neg.fragments()));
        while (p.size() < n.size()) {
            p.add(PromptChunker.empty());
        }
        while (n.size() < p.size()) {
            n.add(PromptChunker.empty());
        }
        if (clipSkip == negativeClipSkip) {
            NDList both = encodeChunks(List.of(p, n), clipSkip, manager);
            return new ConditioningPair(both.get(0), both.get(1), pos.loras());
        }
        NDArray pe = encodeChunks(List.of(p), clipSkip, manager).get(0);
        NDArray ne = encodeChunks(List.of(n), negativeClipSkip, manager).get(0);
        return new ConditioningPair(pe, ne, pos.loras());
    }

    /** Encodes the chunks of several prompts in one batch; one [1, 77 * chunks, hidden] per prompt. */
    private NDList encodeChunks(List<List<TokenChunk>> prompts, int clipSkip, NDManager manager) {
        List<TokenChunk> all = new ArrayList<>();
        prompts.forEach(all::addAll);
        int len = all.get(0).ids().length;
        int[] ids = new int[all.size() * len];
        float[] weights = new float[all.size() * len];
        for (int i = 0; i < all.size(); i++) {
            System.arraycopy(all.get(i).ids(), 0, ids, i * len, len);
            System.arraycopy(all.get(i).weights(), 0, weights, i * len, len);
        }
        NDList out = new NDList();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray z = encode(all, tmp.create(ids, new Shape(all.size(), len)), clipSkip);
            NDArray w = tmp.create(weights, new Shape(all.size(), len, 1));
            NDArray weighted = applyWeights(z, w);
            long hidden = z.getShape().get(2);
            int start = 0;
            for (List<TokenChunk> prompt : prompts) {
                int c = prompt.size();
                NDArray e = weighted.get(start + ":" + (start + c)).reshape(1, (long) c * len, hidden);
                e.attach(manager);
                out.add(e);
                start += c;
            }
        }
        return out;
    }

    /** The encoder's output for the chunks' ids, with the embeddings' vectors in place of their tokens. */
    private NDArray encode(List<TokenChunk> chunks, NDArray ids, int clipSkip) {
        if (chunks.stream().allMatch(c -> c.fixes().isEmpty())) {
            return encoder.encode(ids, clipSkip);
        }
        NDArray tokens = encoder.tokenEmbeddings(ids);
        Shape shape = tokens.getShape();
        int len = (int) shape.get(1);
        int hidden = (int) shape.get(2);
        float[] v = tokens.toFloatArray();
        tokens.close();
        for (int i = 0; i < chunks.size(); i++) {
            for (TokenChunk.Fix f : chunks.get(i).fixes()) {
                TextualInversion e = f.embedding();
                if (e.hidden() != hidden) {
                    throw new IllegalArgumentException("Embedding " + e.name() + " has vectors of width " + e.hidden()
                            + " but this model's text encoder uses " + hidden + " (it was made for another model"
                            + " family); use an embedding made for this one.");
                }
                System.arraycopy(e.data(), 0, v, (i * len + f.offset()) * hidden, e.vectors() * hidden);
            }
        }
        NDArray patched = ids.getManager().create(v, shape);
        try {
            return encoder.encodeEmbedded(patched, clipSkip);
        } finally {
            patched.close();
        }
    }

    /**
     * A1111's emphasis: z [C, L, H] times weights [C, L, 1], then each chunk scaled by
     * mean(z) / mean(weighted z) so its mean is unchanged. A chunk whose weighted mean is exactly 0
     * (possible when the final layer norm has no bias) is left as weighted instead of becoming 0/0.
     */
    static NDArray applyWeights(NDArray z, NDArray weights) {
        long chunks = z.getShape().get(0);
        NDArray weighted = z.mul(weights);
        NDArray den = chunkMean(weighted);
        NDArray ratio = NDArrays.where(den.eq(0f), den.onesLike(), chunkMean(z).div(den)).reshape(chunks, 1, 1);
        return weighted.mul(ratio);
    }

    /** Mean of each chunk over all its positions and channels: [C, 1]. */
    private static NDArray chunkMean(NDArray z) {
        return z.reshape(z.getShape().get(0), -1).mean(new int[] {1}, true);
    }
}
