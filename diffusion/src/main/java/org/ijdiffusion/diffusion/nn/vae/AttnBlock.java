package org.ijdiffusion.diffusion.nn.vae;

import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.ijdiffusion.diffusion.io.MappedArrays;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM's VAE self-attention: group norm, single-head attention over the H*W positions with scale
 * 1/sqrt(C), {@code proj_out}, residual. q/k/v/proj_out are 1x1 convs [C,C,1,1] in LDM files or
 * linear [C,C] weights; both are used as linear maps over the channel axis.
 * With the fused kernel ({@link FusedOps}) the score matrix is never held; composed, the
 * queries are processed in chunks so it stays bounded (each query row's softmax is independent, so
 * chunking does not change the numbers).
 */
final class AttnBlock {
    /** Largest score matrix (elements) computed at once. */
    static final long MAX_SCORE_ELEMENTS = 1L << 22;

    final NormLayer norm;
    final NDArray[] q;
    final NDArray[] k;
    final NDArray[] v;
    final NDArray[] projOut;
    private final Compute compute;

    AttnBlock(Params p, int channels, VaeConfig c) {
        compute = p.compute();
        norm = NormLayer.group(p.at("norm"), channels, c.groups(), c.eps());
        q = linear(p.at("q"), channels);
        k = linear(p.at("k"), channels);
        v = linear(p.at("v"), channels);
        projOut = linear(p.at("proj_out"), channels);
    }

    /** {weight [C,C], bias [C]} from a [C,C,1,1] conv or a [C,C] linear weight. */
    private static NDArray[] linear(Params p, long c) {
        long[] s = p.shape("weight");
        Compute compute = p.compute();
        NDArray w;
        if (Arrays.equals(s, new long[] {c, c, 1, 1})) {
            NDArray held = compute.weight(p.get("weight", c, c, 1, 1));
            w = held.reshape(c, c);
            // a weight still mapped from the file: the view is what the layer uses from now on
            MappedArrays.replace(held, w);
        } else if (Arrays.equals(s, new long[] {c, c})) {
            w = compute.weight(p.get("weight", c, c));
        } else {
            throw new ModelFileException("VAE attention weight has shape " + Arrays.toString(s) + ", expected ["
                    + c + ", " + c + ", 1, 1] or [" + c + ", " + c + "]. The file does not match an SD VAE.");
        }
        return new NDArray[] {w, compute.weight(p.get("bias", c))};
    }

    NDArray forward(NDArray x) {
        // one head of width C: the attention's scale 1/sqrt(C) is this block's
        return forward(x, (qs, ks, vs) -> compute.attention(qs, ks, vs, 1, MAX_SCORE_ELEMENTS));
    }

    /**
     * The composed attention, with at most {@code maxScoreElements} scores (at least one query row) at
     * once.
     */
    NDArray forward(NDArray x, long maxScoreElements) {
        return forward(x, (qs, ks, vs) -> Ops.slicedAttention(qs, ks, vs, 1, maxScoreElements));
    }

    private NDArray forward(NDArray x, Attend attend) {
        Shape s = x.getShape();
        NDArray h = norm.forward(x).reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
        NDArray attended = attend.apply(compute.linear(h, q[0], q[1]), compute.linear(h, k[0], k[1]),
                compute.linear(h, v[0], v[1]));
        return x.add(compute.linear(attended, projOut[0], projOut[1]).transpose(0, 2, 1).reshape(s));
    }

    /** Attention over tokens [B, N, C]: queries, keys, values to the attended values. */
    @FunctionalInterface
    private interface Attend {
        NDArray apply(NDArray q, NDArray k, NDArray v);
    }
}
