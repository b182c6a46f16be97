package org.ijdiffusion.diffusion.text;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.io.MappedArrays;
import org.ijdiffusion.diffusion.nn.Compute;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The CLIP text transformer of SD 1.x: token + position embeddings, pre-LN layers (causal
 * self-attention, quick-GELU MLP), final layer norm. Weights in the internal names
 * ({@code text_model.*}); a {@code position_ids} buffer in the file is ignored.
 */
public final class ClipTextEncoder {
    private final ClipTextConfig config;
    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final List<Layer> layers;
    private final NDArray finalGamma;
    private final NDArray finalBeta;

    private record Layer(NDArray ln1g, NDArray ln1b, NDArray qw, NDArray qb, NDArray kw, NDArray kb, NDArray vw,
            NDArray vb, NDArray ow, NDArray ob, NDArray ln2g, NDArray ln2b, NDArray fc1w, NDArray fc1b, NDArray fc2w,
            NDArray fc2b) {
    }

    private ClipTextEncoder(ClipTextConfig config, NDArray tok, NDArray pos, List<Layer> layers, NDArray fg, NDArray fb) {
        this.config = config;
        this.tokenEmbedding = tok;
        this.positionEmbedding = pos;
        this.layers = layers;
        this.finalGamma = fg;
        this.finalBeta = fb;
    }

    /** Loads the weights into {@code manager} (which must outlive the encoder), checking every shape. */
    public static ClipTextEncoder load(WeightSource weights, ClipTextConfig c, NDManager manager) {
        Params p = new Params(weights, manager).at("text_model");
        long h = c.hidden();
        long f = c.intermediate();
        // the token embedding and the linear weights (90 % of the encoder) stay as stored (float16 in
        // most checkpoints: half the memory) and are upcast where used; norms and positions are float32
        NDArray tok = p.compactView().get("embeddings.token_embedding.weight", c.vocab(), h);
        NDArray pos = p.get("embeddings.position_embedding.weight", c.positions(), h);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            Params l = p.at("encoder.layers." + i);
            Params a = l.at("self_attn").compactView();
            Params mlp = l.at("mlp").compactView();
            layers.add(new Layer(l.get("layer_norm1.weight", h), l.get("layer_norm1.bias", h),
                    a.get("q_proj.weight", h, h), a.get("q_proj.bias", h), a.get("k_proj.weight", h, h),
                    a.get("k_proj.bias", h), a.get("v_proj.weight", h, h), a.get("v_proj.bias", h),
                    a.get("out_proj.weight", h, h), a.get("out_proj.bias", h),
                    l.get("layer_norm2.weight", h), l.get("layer_norm2.bias", h),
                    mlp.get("fc1.weight", f, h), mlp.get("fc1.bias", f),
                    mlp.get("fc2.weight", h, f), mlp.get("fc2.bias", h)));
        }
        NDArray fg = p.get("final_layer_norm.weight", h);
        NDArray fb = p.get("final_layer_norm.bias", h);
        return new ClipTextEncoder(c, tok, pos, List.copyOf(layers), fg, fb);
    }

    /** Loads with the sizes read from the weights (heads by {@link ClipTextConfig}'s rule). */
    public static ClipTextEncoder load(WeightSource weights, NDManager manager) {
        return load(weights, ClipTextConfig.fromWeights(weights), manager);
    }

    public ClipTextConfig config() {
        return config;
    }

    /**
     * Hidden states for token ids (int32 or int64, shape [B, L] with L at most the position count,
     * normally 77) as [B, L, hidden] float32, in the manager of {@code ids}.
     *
     * @param clipSkip 1 = last layer; N = output of layer {@code layers - N + 1} (the N-th from the end);
     *                 both through the final layer norm, as A1111's "Clip skip" and ComfyUI's CLIPSetLastLayer(-N)
     */
    public NDArray encode(NDArray ids, int clipSkip) {
        checkClipSkip(clipSkip);
        NDArray tokens = tokenEmbeddings(ids);
        try {
            return encodeEmbedded(tokens, clipSkip);
        } finally {
            tokens.close();
        }
    }

    /** The token embeddings of ids [B, L] as [B, L, hidden] in the manager of {@code ids} (no positions). */
    public NDArray tokenEmbeddings(NDArray ids) {
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) > config.positions() || s.get(1) < 1) {
            throw new IllegalArgumentException("Token ids must have shape [batch, length <= " + config.positions()
                    + "], got " + s);
        }
        long batch = s.get(0);
        long len = s.get(1);
        try (NDScope scope = new NDScope()) {
            NDArray flat = ids.toType(DataType.INT64, false).reshape(batch * len);
            long lo = flat.min().getLong();
            long hi = flat.max().getLong();
            if (lo < 0 || hi >= config.vocab()) {
                throw new IllegalArgumentException("Token ids must be in 0.." + (config.vocab() - 1)
                        + " (the text encoder's vocabulary), got " + lo + ".." + hi);
            }
            NDArray rows = MappedArrays.resident(tokenEmbedding).get(new NDIndex("{}", flat));
            NDArray x = rows.toType(DataType.FLOAT32, false).reshape(batch, len, config.hidden());
            x.attach(ids.getManager());
            NDScope.unregister(x);
            return x;
        }
    }

    /**
     * Hidden states for token embeddings [B, L, hidden] (from {@link #tokenEmbeddings}, some rows possibly
     * replaced by textual-inversion vectors): positions added, then the layers as in {@link #encode}.
     */
    public NDArray encodeEmbedded(NDArray tokens, int clipSkip) {
        checkClipSkip(clipSkip);
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(1) > config.positions() || s.get(2) != config.hidden()) {
            throw new IllegalArgumentException("Token embeddings must have shape [batch, length <= "
                    + config.positions() + ", " + config.hidden() + "], got " + s);
        }
        long len = s.get(1);
        NDManager out = tokens.getManager();
        try (NDScope scope = new NDScope()) {
            NDArray x = tokens.add(positionEmbedding.get(new NDIndex("0:{}", len)));
            NDArray mask = causalMask(out, (int) len);
            int run = config.layers() - clipSkip + 1;
            for (int i = 0; i < run; i++) {
                x = layer(layers.get(i), x, mask);
            }
            NDArray result = Ops.layerNorm(x, finalGamma, finalBeta, ClipTextConfig.LAYER_NORM_EPS);
            result.attach(out);
            NDScope.unregister(result);
            return result;
        }
    }

    private void checkClipSkip(int clipSkip) {
        if (clipSkip < 1 || clipSkip > config.layers()) {
            throw new IllegalArgumentException("Clip skip must be between 1 and " + config.layers() + ", got " + clipSkip);
        }
    }

    private NDArray layer(Layer w, NDArray x, NDArray mask) {
        float eps = ClipTextConfig.LAYER_NORM_EPS;
        NDArray h = Ops.layerNorm(x, w.ln1g(), w.ln1b(), eps);
        // float16-held weights are upcast at use (Weights): the same float32 numbers as weights loaded as float32
        Compute f32 = Compute.FP32;
        NDArray q = f32.linear(h, w.qw(), w.qb());
        NDArray k = f32.linear(h, w.kw(), w.kb());
        NDArray v = f32.linear(h, w.vw(), w.vb());
        NDArray a = Ops.attention(q, k, v, config.heads(), mask);
        x = x.add(f32.linear(a, w.ow(), w.ob()));
        h = Ops.layerNorm(x, w.ln2g(), w.ln2b(), eps);
        h = f32.linear(Ops.quickGelu(f32.linear(h, w.fc1w(), w.fc1b())), w.fc2w(), w.fc2b());
        return x.add(h);
    }

    /** [L, L]: 0 on and below the diagonal, the lowest float above it (a token sees only its past). */
    private static NDArray causalMask(NDManager m, int len) {
        float[] v = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                v[i * len + j] = -Float.MAX_VALUE;
            }
        }
        return m.create(v, new Shape(len, len));
    }
}
