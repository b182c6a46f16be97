package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/** A 2-D convolution with bias, square kernel, "same" padding; tensors {@code weight}, {@code bias}. */
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

    /** Loads {@code weight} [out, in, k, k] and {@code bias} [out] from the view {@code p} of the layer. */
    public static Conv2dLayer load(Params p, long out, long in, int kernel, int stride) {
        NDArray w = p.get("weight", out, in, kernel, kernel);
        NDArray b = p.get("bias", out);
        return new Conv2dLayer(w, b, stride, kernel / 2);
    }

    public NDArray forward(NDArray x) {
        return Ops.conv2d(x, weight, bias, stride, padding);
    }
}
