package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Params;

/** LDM {@code Downsample}: the 3x3 convolution {@code op} with stride 2, padding 1. */
final class Downsample implements UnetLayer {
    private final Conv2dLayer op;

    private Downsample(Conv2dLayer op) {
        this.op = op;
    }

    static Downsample load(Params p, long channels) {
        return new Downsample(Conv2dLayer.load(p.at("op"), channels, channels, 3, 2));
    }

    @Override
    public NDArray forward(NDArray x, NDArray emb, NDArray context, long[] outputSize) {
        return op.forward(x);
    }
}
