package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.ijdiffusion.diffusion.nn.ChannelsLast;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * A 3x3 convolution with padding 1 of TAESD, with or without bias, stride 1 or 2. In a channels-last
 * network its weight is held channels-last and a convolution followed by ReLU (and a residual sum) runs
 * as one fused oneDNN kernel ({@link ChannelsLast#convRelu}), in float32 or, in a {@link TaesdFormat#BF16}
 * network, in bfloat16.
 */
final class TaesdConv {
    private final NDArray weight;
    private final NDArray bias;
    private final int stride;
    private final TaesdFormat format;
    final long out;

    private TaesdConv(NDArray weight, NDArray bias, int stride, TaesdFormat format, long out) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.format = format;
        this.out = out;
    }

    /**
     * {@code p.weight} [out, in, 3, 3] (and {@code p.bias} [out] when {@code withBias}), held as
     * {@code format} says (the network's activations are then in that format too).
     */
    static TaesdConv load(Params p, long out, long in, boolean withBias, int stride, TaesdFormat format) {
        NDArray w = format.weight(p.get("weight", out, in, 3, 3));
        NDArray b = withBias ? format.weight(p.get("bias", out)) : null; // a bias where taesd.py has none stays unused: refused
        return new TaesdConv(w, b, stride, format, out);
    }

    /**
     * float32 input runs in float32; float64 input in float64 (how the tests measure rounding); in a
     * bfloat16 network bfloat16 (whose type is never asked: DJL aborts on it).
     */
    NDArray forward(NDArray x) {
        if (format != TaesdFormat.BF16 && x.getDataType() == DataType.FLOAT64) {
            return Ops.conv2d(x, weight.toType(DataType.FLOAT64, false),
                    bias == null ? null : bias.toType(DataType.FLOAT64, false), stride, 1);
        }
        return Ops.conv2d(x, weight, bias, stride, 1);
    }

    /** relu(conv(x)). */
    NDArray forwardRelu(NDArray x) {
        if (fused(x)) {
            return ChannelsLast.convRelu(x, weight, bias, stride, 1);
        }
        return forward(x).getNDArrayInternal().relu();
    }

    /** relu(conv(x) + other), {@code other} shaped as the result. */
    NDArray forwardAddRelu(NDArray x, NDArray other) {
        if (fused(x) && stride == 1) {
            return ChannelsLast.convAddRelu(x, other, weight, bias, 1);
        }
        return forward(x).add(other).getNDArrayInternal().relu();
    }

    /** oneDNN's fused kernel: channels-last float32 or bfloat16 on the CPU (oneDNN is a CPU library). */
    private boolean fused(NDArray x) {
        if (bias == null || format == TaesdFormat.NCHW || x.getDevice().isGpu()) {
            return false;
        }
        return format == TaesdFormat.BF16 || x.getDataType() == DataType.FLOAT32;
    }
}
