package org.ijdiffusion.diffusion.nn.vae;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.nn.ForwardScope;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM's VAE encoder ({@code encoder.*}): conv_in, per level residual blocks then a stride-2 downsample
 * (asymmetric zero pad right/bottom, no conv padding) except at the last level, mid, norm_out, SiLU,
 * conv_out to 2*z channels (mean and log-variance).
 */
final class Encoder {
    private static final Shape DOWNSAMPLE_PAD = new Shape(0, 1, 0, 1);

    final Conv2dLayer convIn;
    final Stage[] down;
    final Conv2dLayer[] downsample;
    final MidBlock mid;
    final NormLayer normOut;
    final Conv2dLayer convOut;
    private final List<UnaryOperator<NDArray>> layers;

    Encoder(Params p, VaeConfig c) {
        convIn = Conv2dLayer.load(p.at("conv_in"), c.ch(), c.inChannels(), 3, 1);
        int levels = c.levels();
        down = new Stage[levels];
        downsample = new Conv2dLayer[levels];
        int in = c.ch();
        boolean[] attention = c.encoderAttention();
        for (int i = 0; i < levels; i++) {
            int out = c.channels(i);
            Params level = p.at("down." + i);
            down[i] = new Stage(level, c.numResBlocks(), in, out, attention[i], c);
            if (i != levels - 1) {
                downsample[i] = Conv2dLayer.load(level.at("downsample.conv"), out, out, 3, 2, 0);
            }
            in = out;
        }
        mid = new MidBlock(p.at("mid"), in, c);
        normOut = NormLayer.group(p.at("norm_out"), in, c.groups(), c.eps());
        convOut = Conv2dLayer.load(p.at("conv_out"), 2L * c.zChannels(), in, 3, 1);
        layers = layers();
    }

    /** [B, in, H, W] -> [B, 2z, H/f, W/f]. */
    NDArray forward(NDArray x) {
        return ForwardScope.chain(x, layers);
    }

    /** Every layer in running order; each intermediate is freed once the next layer has run. */
    private List<UnaryOperator<NDArray>> layers() {
        List<UnaryOperator<NDArray>> out = new ArrayList<>();
        out.add(convIn::forward);
        for (int i = 0; i < down.length; i++) {
            out.addAll(down[i].layers());
            if (downsample[i] != null) {
                Conv2dLayer conv = downsample[i];
                out.add(h -> h.pad(DOWNSAMPLE_PAD, 0));
                out.add(conv::forward);
            }
        }
        out.addAll(mid.layers());
        out.add(normOut::forwardSilu);
        out.add(convOut::forward);
        return List.copyOf(out);
    }
}
