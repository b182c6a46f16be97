package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.Weights;
import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/** y = x W^T (+ b) over the last axis; tensors {@code weight} [out, in] and optionally {@code bias}. */
public final class LinearLayer {
    private final NDArray weight;
    private final NDArray bias;

    private LinearLayer(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** Loads a layer from the view {@code p}; {@code withBias} says whether {@code bias} must be there. */
    public static LinearLayer load(Params p, long out, long in, boolean withBias) {
        NDArray w = p.get("weight", out, in);
        NDArray b = withBias ? p.get("bias", out) : null;
        return new LinearLayer(w, b);
    }

    public NDArray forward(NDArray x) {
        return Weights.apply(weight, bias, (w, b) -> Ops.linear(x, w, b));
    }
}
