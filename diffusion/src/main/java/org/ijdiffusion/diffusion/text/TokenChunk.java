package org.ijdiffusion.diffusion.text;

import java.util.List;

/**
 * One text-encoder input row: BOS + 75 tokens (padded with {@link ClipTokenizer#PAD}) + EOS, with a
 * weight per position (1.0 for BOS, EOS and padding), and the textual-inversion embeddings whose
 * vectors replace the token embeddings from position {@link Fix#offset()} on.
 */
public record TokenChunk(int[] ids, float[] weights, List<Fix> fixes) {
    /** An embedding's vectors placed at {@code offset} (an index into {@code ids}) and after. */
    public record Fix(int offset, TextualInversion embedding) {
    }

    public TokenChunk {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException("ids and weights differ in length");
        }
        fixes = List.copyOf(fixes);
    }

    /** A chunk of plain tokens. */
    public TokenChunk(int[] ids, float[] weights) {
        this(ids, weights, List.of());
    }

    /** Whether every weight is 1. */
    public boolean unweighted() {
        for (float w : weights) {
            if (w != 1f) {
                return false;
            }
        }
        return true;
    }
}
