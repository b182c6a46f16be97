package org.ijdiffusion.diffusion.nn.vae;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM's VAE decoder ({@code decoder.*}): conv_in, mid, then the levels from the coarsest
 * ({@code up.<levels-1>}) to the finest ({@code up.0}), each numResBlocks+1 residual blocks then
 * nearest 2x upsampling and a conv (except {@code up.0}), norm_out, SiLU, conv_out.
 */
final class Decoder {
    final Conv2dLayer convIn;
    final MidBlock mid;
    /** Indexed like the checkpoint ({@code up.N}); run from the last to the first. */
    final Stage[] up;
    final Conv2dLayer[] upsample;
    final NormLayer normOut;
    final Conv2dLayer convOut;
    private final List<UnaryOperator<NDArray>> layers;

    Decoder(Params p, VaeConfig c) {
        int levels = c.levels();
        int in = c.channels(levels - 1);
        convIn = Conv2dLayer.load(p.at("conv_in"), in, c.zChannels(), 3, 1);
        mid = new MidBlock(p.at("mid"), in, c);
        up = new Stage[levels];
        upsample = new Conv2dLayer[levels];
        boolean[] attention = c.decoderAttention();
        for (int i = levels - 1; i >= 0; i--) {
            int out = c.channels(i);
            Params level = p.at("up." + i);
            up[i] = new Stage(level, c.numResBlocks() + 1, in, out, attention[i], c);
            if (i != 0) {
                upsample[i] = Conv2dLayer.load(level.at("upsample.conv"), out, out, 3, 1);
            }
            in = out;
        }
        normOut = NormLayer.group(p.at("norm_out"), in, c.groups(), c.eps());
        convOut = Conv2dLayer.load(p.at("conv_out"), c.outChannels(), in, 3, 1);
        layers = layers();
    }

    /** [B, z, h, w] -> [B, out, h*f, w*f]. */
    NDArray forward(NDArray z) {
        return ForwardScope.chain(z, layers);
    }

    /** Every layer in running order; each intermediate is freed once the next layer has run. */
    private List<UnaryOperator<NDArray>> layers() {
        List<UnaryOperator<NDArray>> out = new ArrayList<>();
        out.add(convIn::forward);
        out.addAll(mid.layers());
        for (int i = up.length - 1; i >= 0; i--) {
            out.addAll(up[i].layers());
            if (upsample[i] != null) {
                Conv2dLayer conv = upsample[i];
                out.add(Ops::upsampleNearest2x);
                out.add(conv::forward);
            }
        }
        out.add(normOut::forwardSilu);
        out.add(convOut::forward);
        return List.copyOf(out);
    }
}
