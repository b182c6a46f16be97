package org.ijdiffusion.diffusion.text;

import java.util.SortedSet;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.WeightSource;

/**
 * Sizes of a CLIP text transformer (quick-GELU MLP, pre-LN layers, layer-norm eps 1e-5).
 *
 * <p>{@link #fromWeights(WeightSource, Integer)} reads every size from the tensor shapes. The number of
 * attention heads is not visible in the weights: pass it when known (diffusers
 * {@code text_encoder/config.json} {@code num_attention_heads}); otherwise the rule is head size 64
 * when {@code hidden % 64 == 0} (CLIP ViT-L/14: 768 / 64 = 12 heads), else head size 8 (diffusers' small
 * test models: hidden 32 gives 4 heads). {@link #headsAssumed()} tells whether the rule was used.
 */
public record ClipTextConfig(int hidden, int layers, int heads, int intermediate, int positions, int vocab,
        boolean headsAssumed) {
    public static final String PREFIX = "text_model.";
    public static final float LAYER_NORM_EPS = 1e-5f;

    public ClipTextConfig {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("Bad CLIP text config: hidden " + hidden + ", layers " + layers
                    + ", heads " + heads + " (hidden must be a multiple of heads)");
        }
    }

    /** The size of one attention head. */
    public int headSize() {
        return hidden / heads;
    }

    /** Sizes from the tensors, heads by the rule in the class comment. */
    public static ClipTextConfig fromWeights(WeightSource w) {
        return fromWeights(w, null);
    }

    /** Sizes from the tensors; {@code heads} null (or not positive) to apply the head-size rule. */
    public static ClipTextConfig fromWeights(WeightSource w, Integer heads) {
        long[] tok = shape(w, "text_model.embeddings.token_embedding.weight", 2);
        long[] pos = shape(w, "text_model.embeddings.position_embedding.weight", 2);
        int hidden = (int) tok[1];
        if (pos[1] != hidden) {
            throw new ModelFileException("Text encoder in " + w.origin() + ": position embedding width " + pos[1]
                    + " differs from token embedding width " + hidden);
        }
        SortedSet<Integer> numbered = w.indices("text_model.encoder.layers.");
        if (numbered.isEmpty()) {
            throw new ModelFileException("Text encoder in " + w.origin() + " has no text_model.encoder.layers.*");
        }
        int layers = numbered.last() + 1;
        int intermediate = (int) shape(w, "text_model.encoder.layers.0.mlp.fc1.weight", 2)[0];
        boolean assumed = heads == null || heads <= 0;
        int h = assumed ? (hidden % 64 == 0 ? hidden / 64 : Math.max(1, hidden / 8)) : heads;
        if (hidden % h != 0) {
            throw new ModelFileException("Text encoder in " + w.origin() + ": width " + hidden
                    + " is not a multiple of " + h + " attention heads");
        }
        return new ClipTextConfig(hidden, layers, h, intermediate, (int) pos[0], (int) tok[0], assumed);
    }

    private static long[] shape(WeightSource w, String name, int rank) {
        return w.requireShape(name, rank, "a CLIP text encoder");
    }
}
