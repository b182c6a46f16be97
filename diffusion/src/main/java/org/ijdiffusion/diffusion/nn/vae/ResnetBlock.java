package org.ijdiffusion.diffusion.nn.vae;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM's VAE residual block: norm1, SiLU, conv1, norm2, SiLU, (dropout), conv2, plus the input
 * (through the 1x1 {@code nin_shortcut} when the channel count changes).
 */
final class ResnetBlock {
    final NormLayer norm1;
    final Conv2dLayer conv1;
    final NormLayer norm2;
    final Conv2dLayer conv2;
    final Conv2dLayer ninShortcut;

    ResnetBlock(Params p, int in, int out, VaeConfig c) {
        norm1 = NormLayer.group(p.at("norm1"), in, c.groups(), c.eps());
        conv1 = Conv2dLayer.load(p.at("conv1"), out, in, 3, 1);
        norm2 = NormLayer.group(p.at("norm2"), out, c.groups(), c.eps());
        conv2 = Conv2dLayer.load(p.at("conv2"), out, out, 3, 1);
        ninShortcut = in != out ? Conv2dLayer.load(p.at("nin_shortcut"), out, in, 1, 1) : null;
    }

    /** Each stage's temporaries are freed as the next one has consumed them (image-sized at the finest level). */
    NDArray forward(NDArray x) {
        NDArray h = ForwardScope.chain(x, List.of(norm1::forwardSilu, conv1::forward, norm2::forwardSilu,
                conv2::forward));
        NDArray skip = ninShortcut != null ? ForwardScope.step(() -> ninShortcut.forward(x)) : x;
        return h.addi(skip);
    }
}
