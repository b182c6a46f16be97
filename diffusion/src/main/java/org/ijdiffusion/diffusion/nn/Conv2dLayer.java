package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/** A 2-D convolution with bias and a square kernel; checkpoint tensors {@code weight}, {@code bias}. */
public final class Conv2dLayer {
    private final Compute compute;
    private final NDArray weight;
    private final NDArray bias;
    private final int stride;
    private final int padding;

    private Conv2dLayer(Compute compute, NDArray weight, NDArray bias, int stride, int padding) {
        this.compute = compute;
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
        Compute c = p.compute();
        return new Conv2dLayer(c, c.convWeight(p.get("weight", out, in, kernel, kernel)), c.weight(p.get("bias", out)),
                stride, padding);
    }

    public NDArray forward(NDArray x) {
        return compute.conv2d(x, weight, bias, stride, padding);
    }
}
