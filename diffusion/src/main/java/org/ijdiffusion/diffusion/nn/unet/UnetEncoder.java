package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Conv2dLayer;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The encoder half of the UNet: {@code time_embed}, {@code input_blocks} and {@code middle_block}.
 * A ControlNet has these same weights under the same names and builds its own instance from its own
 * weights; it adds its encoded hint after {@code input_blocks.0} and reads every skip tensor.
 */
public final class UnetEncoder {
    private final UnetConfig config;
    private final TimestepEmbedding timeEmbed;
    private final Conv2dLayer inputBlocks0;
    private final List<UnetBlock> inputBlocks;
    private final UnetBlock middleBlock;

    /** What the encoder hands on: the timestep embedding, every skip tensor in order, the middle output. */
    public record Output(NDArray emb, List<NDArray> skips, NDArray mid) {
    }

    private UnetEncoder(UnetConfig config, TimestepEmbedding timeEmbed, Conv2dLayer inputBlocks0,
            List<UnetBlock> inputBlocks, UnetBlock middleBlock) {
        this.config = config;
        this.timeEmbed = timeEmbed;
        this.inputBlocks0 = inputBlocks0;
        this.inputBlocks = List.copyOf(inputBlocks);
        this.middleBlock = middleBlock;
    }

    /**
     * Loads {@code time_embed.*}, {@code input_blocks.*}, {@code middle_block.*} through {@code p}
     * (the view whose names are the internal UNet vocabulary), shapes checked against {@code c}.
     */
    public static UnetEncoder load(Params p, UnetConfig c) {
        int embDim = c.timeEmbedDim();
        // the timestep embedding computes in float32 whatever the network's precision (small, and precision-sensitive)
        TimestepEmbedding timeEmbed = TimestepEmbedding.load(
                p.at("time_embed").withCompute(Compute.FP32), c.modelChannels(), embDim);
        Conv2dLayer conv = Conv2dLayer.load(p.at("input_blocks.0.0"), c.modelChannels(), c.inChannels(), 3, 1);
        List<UnetBlock> blocks = new ArrayList<>();
        int n = 1;
        long ch = c.modelChannels();
        for (int level = 0; level < c.levels(); level++) {
            long out = c.channels(level);
            for (int i = 0; i < c.numResBlocks(); i++) {
                Params b = p.at("input_blocks." + n++);
                List<UnetLayer> layers = new ArrayList<>();
                layers.add(ResBlock.load(b.at("0"), ch, out, embDim));
                ch = out;
                if (c.attention().get(level)) {
                    layers.add(SpatialTransformer.load(b.at("1"), ch, c));
                }
                blocks.add(new UnetBlock(layers));
            }
            if (level < c.levels() - 1) {
                blocks.add(new UnetBlock(List.of(Downsample.load(p.at("input_blocks." + n++ + ".0"), ch))));
            }
        }
        Params m = p.at("middle_block");
        UnetBlock middle = new UnetBlock(List.of(
                ResBlock.load(m.at("0"), ch, ch, embDim),
                SpatialTransformer.load(m.at("1"), ch, c),
                ResBlock.load(m.at("2"), ch, ch, embDim)));
        return new UnetEncoder(c, timeEmbed, conv, blocks, middle);
    }

    public UnetConfig config() {
        return config;
    }

    /** The timestep embedding [B, 4 x modelChannels] of timesteps [B]. */
    public NDArray timeEmbedding(NDArray timesteps) {
        return timeEmbed.forward(timesteps);
    }

    /**
     * Runs the encoder. Results belong to the manager of {@code sample}; each layer's temporaries are
     * freed as it finishes, the outputs are not: run it inside a {@link ForwardScope} and {@code keep}
     * what must survive (a ControlNet keeps its zero-conv outputs).
     *
     * @param sample    latents [B, inChannels, H, W]
     * @param timesteps [B] float32
     * @param context   [B, L, contextDim]
     * @param afterFirst added to the output of {@code input_blocks.0} (a ControlNet's encoded hint,
     *                  [B, modelChannels, H, W]), or null
     */
    public Output forward(NDArray sample, NDArray timesteps, NDArray context, NDArray afterFirst) {
        NDArray emb = timeEmbedding(timesteps);
        List<NDArray> skips = new ArrayList<>();
        NDArray h = inputBlocks0.forward(sample);
        if (afterFirst != null) {
            h = h.add(afterFirst);
        }
        skips.add(h);
        for (UnetBlock block : inputBlocks) {
            h = block.forward(h, emb, context, null);
            skips.add(h);
        }
        NDArray mid = middleBlock.forward(h, emb, context, null);
        return new Output(emb, skips, mid);
    }
}
