package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM {@code Upsample}: nearest-neighbour upsampling to the size of the skip connection it will meet
 * (2x, or the odd size a non-multiple-of-8 latent gives, as diffusers' {@code upsample_size} and
 * ComfyUI's {@code output_shape}), then the 3x3 {@code conv}.
 */
final class Upsample implements UnetLayer {
    /** torch interpolate mode 0: legacy "nearest" (source index = floor(dst * in / out)). */
    private static final int NEAREST = 0;

    private final Conv2dLayer conv;

    private Upsample(Conv2dLayer conv) {
        this.conv = conv;
    }

    static Upsample load(Params p, long channels) {
        return new Upsample(Conv2dLayer.load(p.at("conv"), channels, channels, 3, 1));
    }

    @Override
    public NDArray forward(NDArray x, NDArray emb, NDArray context, long[] outputSize) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray up;
        if (outputSize == null || (outputSize[0] == 2 * h && outputSize[1] == 2 * w)) {
            up = Ops.upsampleNearest2x(x);
        } else {
            up = x.getNDArrayInternal().interpolation(outputSize, NEAREST, false);
        }
        return conv.forward(up);
    }
}
