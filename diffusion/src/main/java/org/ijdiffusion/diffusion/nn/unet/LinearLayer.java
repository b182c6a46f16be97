package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Params;

/** y = x W^T (+ b) over the last axis; tensors {@code weight} [out, in] and optionally {@code bias}. */
public final class LinearLayer {
    private final Compute compute;
    private final NDArray weight;
    private final NDArray bias;

    private LinearLayer(Compute compute, NDArray weight, NDArray bias) {
        this.compute = compute;
        this.weight = weight;
        this.bias = bias;
    }

    /** Loads a layer from the view {@code p}; {@code withBias} says whether {@code bias} must be there. */
    public static LinearLayer load(Params p, long out, long in, boolean withBias) {
        Compute c = p.compute();
        NDArray w = c.weight(p.get("weight", out, in));
        NDArray b = withBias ? c.weight(p.get("bias", out)) : null;
        return new LinearLayer(c, w, b);
    }

    public NDArray forward(NDArray x) {
        return compute.linear(x, weight, bias);
    }
}
