package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/** A 3x3 convolution with padding 1 of TAESD, with or without bias, stride 1 or 2. */
final class TaesdConv {
    private final NDArray weight;
    private final NDArray bias;
    private final int stride;
    final long out;

    private TaesdConv(NDArray weight, NDArray bias, int stride) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.out = weight.getShape().get(0);
    }

    /** {@code p.weight} [out, in, 3, 3] (and {@code p.bias} [out] when {@code withBias}). */
    static TaesdConv load(Params p, long out, long in, boolean withBias, int stride) {
        NDArray w = p.get("weight", out, in, 3, 3);
        NDArray b = withBias ? p.get("bias", out) : null; // a bias where taesd.py has none stays unused: refused
        return new TaesdConv(w, b, stride);
    }

    /** float32 input runs in float32; float64 input in float64 (how the tests measure rounding). */
    NDArray forward(NDArray x) {
        if (x.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64) {
            return Ops.conv2d(x, weight.toType(ai.djl.ndarray.types.DataType.FLOAT64, false),
                    bias == null ? null : bias.toType(ai.djl.ndarray.types.DataType.FLOAT64, false), stride, 1);
        }
        return Ops.conv2d(x, weight, bias, stride, 1);
    }
}
