package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/** A square-kernel 2-D convolution with its checkpoint tensors {@code weight} and {@code bias}. */
final class Conv {
    final NDArray weight;
    final NDArray bias;
    private final int stride;
    private final int padding;

    private Conv(NDArray weight, NDArray bias, int stride, int padding) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
    }

    /** Loads {@code p.weight} [out, in, k, k] and {@code p.bias} [out]. */
    static Conv load(Params p, long out, long in, int kernel, int stride, int padding) {
        return new Conv(p.get("weight", out, in, kernel, kernel), p.get("bias", out), stride, padding);
    }

    /** A 3x3 convolution, stride 1, padding 1 (the VAE's usual one). */
    static Conv same3x3(Params p, long out, long in) {
        return load(p, out, in, 3, 1, 1);
    }

    /** A 1x1 convolution. */
    static Conv pointwise(Params p, long out, long in) {
        return load(p, out, in, 1, 1, 0);
    }

    NDArray forward(NDArray x) {
        return Ops.conv2d(x, weight, bias, stride, padding);
    }
}
