package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * A normalisation with per-channel affine ({@code weight}, {@code bias}): group norm over axis 1
 * when {@code groups > 0}, layer norm over the last axis otherwise.
 */
final class NormLayer {
    /** GroupNorm32 of the LDM ResBlocks and the UNet output. */
    static final float GROUP_NORM_EPS = 1e-5f;
    /** The SpatialTransformer's input GroupNorm (LDM {@code Normalize}: eps 1e-6). */
    static final float TRANSFORMER_GROUP_NORM_EPS = 1e-6f;
    static final float LAYER_NORM_EPS = 1e-5f;
    static final int GROUPS = 32;

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

    static NormLayer group(Params p, long channels, float eps) {
        if (channels % GROUPS != 0) {
            throw new IllegalArgumentException("Group norm over " + channels
                    + " channels: the channel count must be a multiple of " + GROUPS + ".");
        }
        return new NormLayer(p.get("weight", channels), p.get("bias", channels), GROUPS, eps);
    }

    static NormLayer layer(Params p, long channels) {
        return new NormLayer(p.get("weight", channels), p.get("bias", channels), 0, LAYER_NORM_EPS);
    }

    NDArray forward(NDArray x) {
        return groups > 0 ? Ops.groupNorm(x, groups, weight, bias, eps) : Ops.layerNorm(x, weight, bias, eps);
    }
}
