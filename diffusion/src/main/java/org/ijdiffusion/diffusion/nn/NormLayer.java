package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * A normalisation with per-channel affine ({@code weight}, {@code bias}): group norm over axis 1, or
 * layer norm over the last axis.
 */
public final class NormLayer {
    private final NDArray weight;
    private final NDArray bias;
    private final int groups;
    private final float eps;

    private NormLayer(NDArray weight, NDArray bias, int groups, float eps) {
        this.weight = weight;
        this.bias = bias;
        this.groups = groups;
        this.eps = eps;
    }

    public static NormLayer group(Params p, long channels, int groups, float eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException("Group norm over " + channels
                    + " channels: the channel count must be a multiple of " + groups + ".");
        }
        return new NormLayer(p.get("weight", channels), p.get("bias", channels), groups, eps);
    }

    public static NormLayer layer(Params p, long channels, float eps) {
        return new NormLayer(p.get("weight", channels), p.get("bias", channels), 0, eps);
    }

    public NDArray forward(NDArray x) {
        return Weights.apply(weight, bias, (w, b) -> groups > 0 ? Ops.groupNorm(x, groups, w, b, eps)
                : Ops.layerNorm(x, w, b, eps));
    }

    /** The norm followed by SiLU. */
    public NDArray forwardSilu(NDArray x) {
        return Ops.silu(forward(x));
    }
}
