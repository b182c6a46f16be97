package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * The tensor operations the networks share, composed where DJL lacks them (group norm, attention).
 * All are out of place: inputs may alias read-only mapped weights.
 */
public final class Ops {
    private Ops() {
    }

    /** 2-D convolution, square kernel, same stride/padding on both axes. */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding),
                new Shape(1, 1), 1).singletonOrThrow();
    }

    /** y = x W^T + b over the last axis (b may be null); oneDNN's kernel on CPU when {@link FusedOps} is available. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        // oneDNN is a CPU library: on a GPU, libtorch's own matmul is the fast one
        boolean cpu = !x.getDevice().isGpu();
        return cpu && FusedOps.available() ? FusedOps.linear(x, weight, bias) : composedLinear(x, weight, bias);
    }

    /** y = x W^T + b through DJL's op (libtorch's matmul). */
    public static NDArray composedLinear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** Layer norm over the last axis. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        long c = x.getShape().get(x.getShape().dimension() - 1);
        return LayerNorm.layerNorm(x, new Shape(c), gamma, beta, eps).singletonOrThrow();
    }

    /**
     * Group norm of an (N, C, ...) array: layer norm over each group of C/groups channels (with unit
     * affine), then the per-channel affine. Matches torch.nn.GroupNorm.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDManager m = x.getManager();
        NDArray g = x.reshape(n, groups, -1);
        long len = g.getShape().get(2);
        NDArray ones = m.ones(new Shape(len), x.getDataType());
        NDArray zeros = m.zeros(new Shape(len), x.getDataType());
        NDArray normed = LayerNorm.layerNorm(g, new Shape(len), ones, zeros, eps).singletonOrThrow();
        long[] affine = new long[s.dimension()];
        java.util.Arrays.fill(affine, 1);
        affine[1] = c;
        // reshaped views of the weights would land in the weights' manager: move them to the call's
        NDArray g4 = gamma.reshape(new Shape(affine));
        g4.attach(m);
        NDArray b4 = beta.reshape(new Shape(affine));
        b4.attach(m);
        // normed is this call's own temporary: scale and shift it in place (never the weights)
        return normed.reshape(s).muli(g4).addi(b4);
    }

    /** SiLU / swish: x * sigmoid(x). */
    public static NDArray silu(NDArray x) {
        if (FusedOps.available()) {
            return FusedOps.silu(x);
        }
        // the sigmoid is a fresh array: multiply into it (x, which may be a weight, is only read)
        return x.getNDArrayInternal().sigmoid().muli(x);
    }

    /** GELU, erf form (torch's default). */
    public static NDArray gelu(NDArray x) {
        return ai.djl.nn.Activation.gelu(x);
    }

    /** CLIP's quick GELU: x * sigmoid(1.702 x). */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(x.mul(1.702f).getNDArrayInternal().sigmoid());
    }

    /** Nearest-neighbour 2x upsampling of (N, C, H, W): torch's interpolate, one pass (any memory layout). */
    public static NDArray upsampleNearest2x(NDArray x) {
        Shape s = x.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {2 * s.get(2), 2 * s.get(3)}, 0, false);
    }

    /**
     * Multi-head scaled dot-product attention. q: (B, Lq, heads*d), k and v: (B, Lk, heads*d);
     * returns (B, Lq, heads*d). softmax(q k^T / sqrt(d)) v, per head. Uses the fused kernel
     * ({@link FusedOps}) when it is available, else batched matmuls and softmax.
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads) {
        return attention(q, k, v, heads, null);
    }

    /**
     * As {@link #attention(NDArray, NDArray, NDArray, int)} with an additive mask broadcast to (B*heads, Lq, Lk)
     * (composed; the fused kernel is used only without a mask).
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
        if (mask == null && FusedOps.available()) {
            long b = q.getShape().get(0);
            long lq = q.getShape().get(1);
            NDArray out = FusedOps.attention(splitHeads(q, heads), splitHeads(k, heads), splitHeads(v, heads));
            return out.transpose(0, 2, 1, 3).reshape(b, lq, q.getShape().get(2));
        }
        return composedAttention(q, k, v, heads, mask);
    }

    /** The attention as batched matmuls and softmax, the whole score matrix at once; mask may be null. */
    public static NDArray composedAttention(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
        long b = q.getShape().get(0);
        long lq = q.getShape().get(1);
        long lk = k.getShape().get(1);
        long inner = q.getShape().get(2);
        long d = inner / heads;
        NDArray qh = splitHeads(q, heads).reshape(b * heads, lq, d);
        NDArray kh = splitHeads(k, heads).transpose(0, 1, 3, 2).reshape(b * heads, d, lk);
        NDArray vh = splitHeads(v, heads).reshape(b * heads, lk, d);
        NDArray scores = qh.mul((float) (1.0 / Math.sqrt(d))).batchMatMul(kh);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray out = scores.softmax(-1).batchMatMul(vh);
        return out.reshape(b, heads, lq, d).transpose(0, 2, 1, 3).reshape(b, lq, inner);
    }

    /**
     * The composed attention (no mask) over query-row slices small enough that each holds at most
     * {@code maxScores} scores; softmax is per row, so the slices give the numbers of the one-piece
     * computation. Each slice's temporaries are freed before the next.
     */
    public static NDArray slicedAttention(NDArray q, NDArray k, NDArray v, int heads, long maxScores) {
        long b = q.getShape().get(0);
        long lq = q.getShape().get(1);
        long lk = k.getShape().get(1);
        long rows = Math.max(1, maxScores / (b * heads * lk));
        if (rows >= lq) {
            return composedAttention(q, k, v, heads, null);
        }
        NDList parts = new NDList();
        for (long start = 0; start < lq; start += rows) {
            long from = start;
            parts.add(ForwardScope.step(() -> composedAttention(q.get(":, {}:{}", from, Math.min(lq, from + rows)), k,
                    v, heads, null)));
        }
        return NDArrays.concat(parts, 1);
    }

    /** (B, L, heads*d) -> a (B, heads, L, d) view. */
    private static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }
}
