package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * TAESD's residual block: {@code relu(conv(relu(conv(relu(conv(x))))) + skip(x))} with three 3x3
 * convolutions {@code conv.0, conv.2, conv.4} and a 1x1 {@code skip} (no bias) when the widths differ.
 */
final class TaesdBlock {
    private final TaesdConv c0;
    private final TaesdConv c2;
    private final TaesdConv c4;
    private final NDArray skip;
    private final TaesdFormat format;

    private TaesdBlock(TaesdConv c0, TaesdConv c2, TaesdConv c4, NDArray skip, TaesdFormat format) {
        this.c0 = c0;
        this.c2 = c2;
        this.c4 = c4;
        this.skip = skip;
        this.format = format;
    }

    static boolean isBlock(Params p) {
        return p.has("conv.0.weight");
    }

    static TaesdBlock load(Params p, long in, TaesdFormat format) {
        long out = p.shape("conv.0.weight")[0];
        TaesdConv c0 = TaesdConv.load(p.at("conv.0"), out, in, true, 1, format);
        TaesdConv c2 = TaesdConv.load(p.at("conv.2"), out, out, true, 1, format);
        TaesdConv c4 = TaesdConv.load(p.at("conv.4"), out, out, true, 1, format);
        NDArray skip = in != out ? format.weight(p.get("skip.weight", out, in, 1, 1)) : null;
        return new TaesdBlock(c0, c2, c4, skip, format);
    }

    long out() {
        return c4.out;
    }

    NDArray forward(NDArray x) {
        NDArray h = c2.forwardRelu(c0.forwardRelu(x));
        NDArray s = skip == null ? x : org.ijdiffusion.diffusion.nn.Ops.conv2d(x,
                format == TaesdFormat.BF16 ? skip : skip.toType(x.getDataType(), false), null, 1, 0);
        return c4.forwardAddRelu(h, s);
    }
}
