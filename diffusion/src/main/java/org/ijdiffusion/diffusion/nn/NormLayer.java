package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * A normalisation with per-channel affine ({@code weight}, {@code bias}): group norm over axis 1, or
 * layer norm over the last axis.
 */
public final class NormLayer {
    private final Compute compute;
    private final NDArray weight;
    private final NDArray bias;
    private final int groups;
    private final float eps;

    private NormLayer(Compute compute, NDArray weight, NDArray bias, int groups, float eps) {
        this.compute = compute;
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
        return load(p, channels, groups, eps);
    }

    public static NormLayer layer(Params p, long channels, float eps) {
        return load(p, channels, 0, eps);
    }

    private static NormLayer load(Params p, long channels, int groups, float eps) {
        Compute c = p.compute();
        return new NormLayer(c, c.normWeight(p.get("weight", channels)), c.normWeight(p.get("bias", channels)), groups,
                eps);
    }

    public NDArray forward(NDArray x) {
        return compute.norm(x, groups, weight, bias, eps, false);
    }

    /** The norm followed by SiLU. */
    public NDArray forwardSilu(NDArray x) {
        return compute.norm(x, groups, weight, bias, eps, true);
    }
}
