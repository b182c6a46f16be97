package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The decoder half of the UNet: {@code output_blocks} (each concatenates the last unused skip tensor
 * to its input) and {@code out} (GroupNorm, SiLU, conv 3x3).
 */
final class UnetDecoder {
    private final List<UnetBlock> outputBlocks;
    private final NormLayer out0;
    private final Conv2dLayer out2;

    private UnetDecoder(List<UnetBlock> outputBlocks, NormLayer out0, Conv2dLayer out2) {
        this.outputBlocks = List.copyOf(outputBlocks);
        this.out0 = out0;
        this.out2 = out2;
    }

    static UnetDecoder load(Params p, UnetConfig c) {
        int embDim = c.timeEmbedDim();
        List<Integer> skipChannels = new ArrayList<>(c.skipChannels());
        List<UnetBlock> blocks = new ArrayList<>();
        long ch = c.midChannels();
        int n = 0;
        for (int level = c.levels() - 1; level >= 0; level--) {
            long out = c.channels(level);
            for (int i = 0; i <= c.numResBlocks(); i++) {
                Params b = p.at("output_blocks." + n++);
                long skip = skipChannels.remove(skipChannels.size() - 1);
                List<UnetLayer> layers = new ArrayList<>();
                layers.add(ResBlock.load(b.at("0"), ch + skip, out, embDim));
                ch = out;
                if (c.attention().get(level)) {
                    layers.add(SpatialTransformer.load(b.at("1"), ch, c));
                }
                if (level > 0 && i == c.numResBlocks()) {
                    layers.add(Upsample.load(b.at(String.valueOf(layers.size())), ch));
                }
                blocks.add(new UnetBlock(layers));
            }
        }
        return new UnetDecoder(blocks,
                UnetNorms.group(p.at("out.0"), ch),
                Conv2dLayer.load(p.at("out.2"), c.outChannels(), ch, 3, 1));
    }

    /** mid [B, C, h, w] and the encoder's skips (consumed last first) to the output [B, outChannels, H, W]. */
    NDArray forward(NDArray mid, List<NDArray> skips, NDArray emb, NDArray context) {
        List<NDArray> stack = new ArrayList<>(skips);
        NDArray h = mid;
        for (UnetBlock block : outputBlocks) {
            NDArray skip = stack.remove(stack.size() - 1);
            h = h.concat(skip, 1);
            long[] nextSize = stack.isEmpty() ? null : spatial(stack.get(stack.size() - 1));
            h = block.forward(h, emb, context, nextSize);
        }
        return out2.forward(out0.forwardSilu(h));
    }

    private static long[] spatial(NDArray x) {
        return new long[] {x.getShape().get(2), x.getShape().get(3)};
    }
}
