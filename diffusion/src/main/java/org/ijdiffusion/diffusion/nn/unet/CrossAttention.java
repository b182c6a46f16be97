package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM {@code CrossAttention}: {@code to_q}, {@code to_k}, {@code to_v} (no bias), multi-head
 * softmax(q k^T / sqrt(d)) v, then {@code to_out.0} (with bias). Self-attention when no context is given.
 */
final class CrossAttention {
    /**
     * Most attention scores held at once (B x heads x query rows x keys, float32: 32M = 128 MB). Longer
     * queries are processed in row slices; softmax is per row, so the result is the same.
     */
    static final long MAX_SCORES = 1L << 25;

    private final LinearLayer toQ;
    private final LinearLayer toK;
    private final LinearLayer toV;
    private final LinearLayer toOut0;
    private final int heads;
    private final Compute compute;

    private CrossAttention(LinearLayer toQ, LinearLayer toK, LinearLayer toV, LinearLayer toOut0, int heads,
            Compute compute) {
        this.compute = compute;
        this.toQ = toQ;
        this.toK = toK;
        this.toV = toV;
        this.toOut0 = toOut0;
        this.heads = heads;
    }

    /** {@code contextDim} = {@code queryDim} for self-attention. */
    static CrossAttention load(Params p, long queryDim, long contextDim, int heads, long headDim) {
        long inner = heads * headDim;
        return new CrossAttention(
                LinearLayer.load(p.at("to_q"), inner, queryDim, false),
                LinearLayer.load(p.at("to_k"), inner, contextDim, false),
                LinearLayer.load(p.at("to_v"), inner, contextDim, false),
                LinearLayer.load(p.at("to_out.0"), queryDim, inner, true),
                heads, p.compute());
    }

    /** x [B, L, queryDim]; context [B, Lc, contextDim] or null (self-attention). */
    NDArray forward(NDArray x, NDArray context) {
        NDArray c = context == null ? x : context;
        NDArray q = toQ.forward(x);
        NDArray k = toK.forward(c);
        NDArray v = toV.forward(c);
        NDArray out = compute.attention(q, k, v, heads, MAX_SCORES);
        return toOut0.forward(out);
    }
}
