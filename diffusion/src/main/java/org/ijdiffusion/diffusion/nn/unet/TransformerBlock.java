package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM {@code BasicTransformerBlock}: self-attention {@code attn1}, cross-attention {@code attn2} on
 * the context, and a GEGLU feed-forward ({@code ff.net.0.proj} to 2 x 4 dim, {@code ff.net.2} back),
 * each after its LayerNorm ({@code norm1..3}) and added to its input.
 */
final class TransformerBlock {
    /** LDM {@code FeedForward} default: inner width = 4 x dim. */
    private static final int FF_MULT = 4;

    private final NormLayer norm1;
    private final CrossAttention attn1;
    private final NormLayer norm2;
    private final CrossAttention attn2;
    private final NormLayer norm3;
    private final LinearLayer ffNet0Proj;
    private final LinearLayer ffNet2;

    private TransformerBlock(NormLayer norm1, CrossAttention attn1, NormLayer norm2, CrossAttention attn2,
            NormLayer norm3, LinearLayer ffNet0Proj, LinearLayer ffNet2) {
        this.norm1 = norm1;
        this.attn1 = attn1;
        this.norm2 = norm2;
        this.attn2 = attn2;
        this.norm3 = norm3;
        this.ffNet0Proj = ffNet0Proj;
        this.ffNet2 = ffNet2;
    }

    static TransformerBlock load(Params p, long dim, long contextDim, int heads, long headDim) {
        long ffInner = FF_MULT * dim;
        return new TransformerBlock(
                UnetNorms.layer(p.at("norm1"), dim),
                CrossAttention.load(p.at("attn1"), dim, dim, heads, headDim),
                UnetNorms.layer(p.at("norm2"), dim),
                CrossAttention.load(p.at("attn2"), dim, contextDim, heads, headDim),
                UnetNorms.layer(p.at("norm3"), dim),
                LinearLayer.load(p.at("ff.net.0.proj"), 2 * ffInner, dim, true),
                LinearLayer.load(p.at("ff.net.2"), dim, ffInner, true));
    }

    /** x [B, L, dim], context [B, Lc, contextDim]. */
    NDArray forward(NDArray x, NDArray context) {
        NDArray h1 = ForwardScope.step(() -> attn1.forward(norm1.forward(x), null).add(x));
        NDArray h2 = ForwardScope.step(() -> attn2.forward(norm2.forward(h1), context).add(h1));
        return ForwardScope.step(() -> feedForward(norm3.forward(h2)).add(h2));
    }

    private NDArray feedForward(NDArray x) {
        NDArray proj = ffNet0Proj.forward(x);
        NDList parts = proj.split(2, proj.getShape().dimension() - 1);
        return ffNet2.forward(parts.get(0).mul(Ops.gelu(parts.get(1))));
    }
}
