package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/** Group norm with the checkpoint tensors {@code weight} and {@code bias}. */
final class Norm {
    final NDArray weight;
    final NDArray bias;
    private final int groups;
    private final float eps;

    private Norm(NDArray weight, NDArray bias, int groups, float eps) {
        this.weight = weight;
        this.bias = bias;
        this.groups = groups;
        this.eps = eps;
    }

    static Norm load(Params p, long channels, VaeConfig c) {
        if (channels % c.groups() != 0) {
            throw new IllegalArgumentException("Group norm of " + channels + " channels cannot use " + c.groups()
                    + " groups");
        }
        return new Norm(p.get("weight", channels), p.get("bias", channels), c.groups(), c.eps());
    }

    NDArray forward(NDArray x) {
        return Ops.groupNorm(x, groups, weight, bias, eps);
    }

    /** Group norm followed by SiLU. */
    NDArray forwardSilu(NDArray x) {
        return Ops.silu(forward(x));
    }
}
