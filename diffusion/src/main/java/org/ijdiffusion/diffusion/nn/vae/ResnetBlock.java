package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM's VAE residual block: norm1, SiLU, conv1, norm2, SiLU, (dropout), conv2, plus the input
 * (through the 1x1 {@code nin_shortcut} when the channel count changes).
 */
final class ResnetBlock {
    final Norm norm1;
    final Conv conv1;
    final Norm norm2;
    final Conv conv2;
    final Conv ninShortcut;

    ResnetBlock(Params p, int in, int out, VaeConfig c) {
        norm1 = Norm.load(p.at("norm1"), in, c);
        conv1 = Conv.same3x3(p.at("conv1"), out, in);
        norm2 = Norm.load(p.at("norm2"), out, c);
        conv2 = Conv.same3x3(p.at("conv2"), out, out);
        ninShortcut = in != out ? Conv.pointwise(p.at("nin_shortcut"), out, in) : null;
    }

    NDArray forward(NDArray x) {
        NDArray h = conv1.forward(norm1.forwardSilu(x));
        h = conv2.forward(norm2.forwardSilu(h));
        NDArray skip = ninShortcut != null ? ninShortcut.forward(x) : x;
        return skip.add(h);
    }
}
