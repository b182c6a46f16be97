package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * TAESD's encoder (madebyollin/taesd {@code Encoder}, MIT) in the Sequential numbering of its
 * {@code taesd_encoder} files: 0 a 3x3 convolution from RGB, then stages of residual blocks separated by
 * bias-free stride-2 3x3 convolutions, and a final 3x3 convolution to the latent channels. Input RGB in
 * [0, 1]; output the latents in the UNet's scale (no 0.18215 to apply). Read from the tensors present.
 *
 * <p>Runs on contiguous NCHW arrays, unlike the decoder: channels-last (oneDNN's other kernels) made it
 * 1.4x faster at 512x512 but moved it from 4.2e-5 to 1.8e-4 of the reference encode
 * ({@code TaesdGoldenTest}), over the 1e-4 it is held to; nothing encodes with TAESD on a per-step path.
 */
final class TaesdEncoder {
    private final TaesdConv first;
    private final List<Object> layers; // TaesdBlock or a stride-2 TaesdConv
    private final TaesdConv last;
    final long latentChannels;

    TaesdEncoder(Params p) {
        if (!p.has("0.weight")) {
            throw new ModelFileException("not a TAESD encoder: tensor '0.weight' is missing");
        }
        long[] s = p.shape("0.weight");
        first = TaesdConv.load(p.at("0"), s[0], s[1], true, 1, TaesdFormat.NCHW);
        long ch = s[0];
        layers = new ArrayList<>();
        TaesdConv end = null;
        for (int i = 1; end == null; i++) {
            Params at = p.at(Integer.toString(i));
            if (TaesdBlock.isBlock(at)) {
                TaesdBlock b = TaesdBlock.load(at, ch, TaesdFormat.NCHW);
                layers.add(b);
                ch = b.out();
            } else if (at.has("weight") && !at.has("bias")) {
                TaesdConv c = TaesdConv.load(at, at.shape("weight")[0], ch, false, 2, TaesdFormat.NCHW);
                layers.add(c);
                ch = c.out;
            } else if (at.has("weight")) {
                end = TaesdConv.load(at, at.shape("weight")[0], ch, true, 1, TaesdFormat.NCHW);
            } else {
                throw new ModelFileException("not a TAESD encoder: layer " + i + " has no tensors");
            }
        }
        last = end;
        latentChannels = last.out;
    }

    /** [B, 3, H, W] RGB in [0, 1] to [B, latent, H/8, W/8]. */
    NDArray forward(NDArray rgb) {
        NDArray x = first.forward(rgb);
        for (Object l : layers) {
            x = l instanceof TaesdBlock b ? b.forward(x) : ((TaesdConv) l).forward(x);
        }
        return last.forward(x);
    }
}
