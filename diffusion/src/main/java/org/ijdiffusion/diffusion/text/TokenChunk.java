package org.ijdiffusion.diffusion.text;

/**
 * One text-encoder input row: BOS + 75 tokens (padded with {@link ClipTokenizer#PAD}) + EOS, with a
 * weight per position (1.0 for BOS, EOS and padding).
 */
public record TokenChunk(int[] ids, float[] weights) {
    public TokenChunk {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException("ids and weights differ in length");
        }
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
