package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * TAESD's decoder (madebyollin/taesd {@code Decoder}, MIT) in the Sequential numbering of its
 * {@code taesd_decoder} files: 0 the soft clamp {@code tanh(x/3)*3}, 1 a 3x3 convolution from the latent
 * channels, 2 ReLU, then stages of residual blocks separated by a 2x nearest upsample (an index without
 * tensors) and a bias-free 3x3 convolution, and a final 3x3 convolution to RGB in about [0, 1]. The
 * stages and widths are read from the tensors present.
 *
 * <p>Channels-last by default ({@link Taesd#LAYOUT_PROPERTY}), in float32 or bfloat16 ({@link TaesdFormat}):
 * weights converted once at load, the clamped latents once on entry, the RGB result back to float32 NCHW
 * once; in between every convolution, ReLU, sum and upsample keeps the format, and convolution + ReLU
 * (+ residual sum) run as one oneDNN kernel.
 */
final class TaesdDecoder {
    private final TaesdConv first;
    private final List<Object> layers; // TaesdBlock, or UPSAMPLE followed by its TaesdConv
    private final TaesdConv last;
    final long latentChannels;
    /** How weights and activations are held (input converted once on entry, the result back once). */
    private final TaesdFormat format;
    private int upsamples;

    private static final Object UPSAMPLE = new Object();

    TaesdDecoder(Params p, TaesdFormat format) {
        this.format = format;
        if (!p.has("1.weight")) {
            throw new ModelFileException("not a TAESD decoder: tensor '1.weight' (the convolution after the clamp) is missing");
        }
        long[] s = p.shape("1.weight");
        latentChannels = s[1];
        first = TaesdConv.load(p.at("1"), s[0], s[1], true, 1, format);
        long ch = s[0];
        layers = new ArrayList<>();
        TaesdConv end = null;
        for (int i = 3; end == null; i++) {
            Params at = p.at(Integer.toString(i));
            if (TaesdBlock.isBlock(at)) {
                TaesdBlock b = TaesdBlock.load(at, ch, format);
                layers.add(b);
                ch = b.out();
            } else if (!at.has("weight") && p.has((i + 1) + ".weight") && !p.has((i + 1) + ".bias")) {
                long out = p.shape((i + 1) + ".weight")[0];
                layers.add(UPSAMPLE);
                layers.add(TaesdConv.load(p.at(Integer.toString(i + 1)), out, ch, false, 1, format));
                ch = out;
                upsamples++;
                i++;
            } else if (at.has("weight") && at.has("bias")) {
                end = TaesdConv.load(at, at.shape("weight")[0], ch, true, 1, format);
            } else {
                throw new ModelFileException("not a TAESD decoder: layer " + i + " is neither a block, an upsample "
                        + "with its convolution, nor the output convolution");
            }
        }
        last = end;
    }

    /** The upscaling factor (8 for SD's TAESD). */
    int scale() {
        return 1 << upsamples;
    }

    TaesdFormat format() {
        return format;
    }

    long outChannels() {
        return last.out;
    }

    /** [B, latent, h, w] latents (UNet scale) to [B, 3, h*8, w*8], unclamped (about [0, 1]). */
    NDArray forward(NDArray z) {
        NDArray x = z.div(3f).tanh().mul(3f);
        x = format.enter(x);
        x = first.forwardRelu(x);
        boolean up = false;
        for (Object l : layers) {
            if (l == UPSAMPLE) {
                up = true;
            } else if (l instanceof TaesdBlock b) {
                x = b.forward(x);
            } else {
                TaesdConv c = (TaesdConv) l;
                if (up) {
                    x = Ops.upsampleNearest2x(x);
                    up = false;
                }
                x = c.forward(x);
            }
        }
        x = last.forward(x);
        return format.leave(x);
    }
}
