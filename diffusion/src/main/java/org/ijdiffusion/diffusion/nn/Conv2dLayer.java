package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/** A 2-D convolution with bias and a square kernel; checkpoint tensors {@code weight}, {@code bias}. */
public final class Conv2dLayer {
    private final NDArray weight;
    private final NDArray bias;
    private final int stride;
    private final int padding;

    private Conv2dLayer(NDArray weight, NDArray bias, int stride, int padding) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
    }

    /** Loads {@code weight} [out, in, k, k] and {@code bias} [out] with "same" padding (k / 2). */
    public static Conv2dLayer load(Params p, long out, long in, int kernel, int stride) {
        return load(p, out, in, kernel, stride, kernel / 2);
    }

    /** Loads {@code weight} [out, in, k, k] and {@code bias} [out] with an explicit padding. */
    public static Conv2dLayer load(Params p, long out, long in, int kernel, int stride, int padding) {
        return new Conv2dLayer(p.get("weight", out, in, kernel, kernel), p.get("bias", out), stride, padding);
    }

    public NDArray forward(NDArray x) {
        return Weights.apply(weight, bias, (w, b) -> Ops.conv2d(x, w, b, stride, padding));
    }
}
