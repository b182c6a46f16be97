package org.ijdiffusion.diffusion.nn.unet;

import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.model.WeightSource;

/**
 * The shape of an LDM {@code openaimodel.UNetModel} with spatial transformers (SD1.x, and SD2-style
 * linear projections / fixed head width).
 *
 * @param inChannels       latent channels in (4; 9 for inpainting models)
 * @param outChannels      channels out; 0 for encoder-only weights (a ControlNet)
 * @param modelChannels    width of level 0 ({@code input_blocks.0.0} out channels)
 * @param channelMult      per level, its width / modelChannels
 * @param numResBlocks     ResBlocks per level in the encoder (the decoder has one more)
 * @param attention        per level, whether its blocks carry a SpatialTransformer
 * @param numHeads         fixed number of attention heads (SD1: 8), or 0 when {@code headDim} is fixed
 * @param headDim          fixed channels per head (SD2: 64), or 0 when {@code numHeads} is fixed
 * @param contextDim       cross-attention context width (SD1: 768)
 * @param transformerDepth transformer blocks per SpatialTransformer
 * @param linearProj       proj_in/proj_out are linear layers (else 1x1 convolutions)
 */
public record UnetConfig(int inChannels, int outChannels, int modelChannels, List<Integer> channelMult,
        int numResBlocks, List<Boolean> attention, int numHeads, int headDim, int contextDim,
        int transformerDepth, boolean linearProj) {

    /** SD1.x uses 8 attention heads at every level (not stored in the weights). */
    public static final int SD1_HEADS = 8;

    public UnetConfig {
        channelMult = List.copyOf(channelMult);
        attention = List.copyOf(attention);
        if (inChannels <= 0 || outChannels < 0 || modelChannels <= 0 || numResBlocks <= 0 || channelMult.isEmpty()) {
            throw new IllegalArgumentException("Invalid UNet config: " + channelMult + " " + inChannels + "/"
                    + outChannels + "/" + modelChannels + "/" + numResBlocks);
        }
        if (attention.size() != channelMult.size()) {
            throw new IllegalArgumentException("UNet config: " + attention.size() + " attention flags for "
                    + channelMult.size() + " levels");
        }
        if ((numHeads > 0) == (headDim > 0)) {
            throw new IllegalArgumentException("UNet config: give either a head count or a head width (got "
                    + numHeads + " heads, width " + headDim + ")");
        }
        if (attention.contains(true) && (contextDim <= 0 || transformerDepth <= 0)) {
            throw new IllegalArgumentException("UNet config: attention needs a context width and a transformer depth");
        }
    }

    /**
     * Derives the config from the tensor names and shapes of UNet (or ControlNet encoder) weights in the
     * internal vocabulary. The head count cannot be read from the weights: SD1.x uses 8.
     *
     * @throws org.ijdiffusion.diffusion.io.ModelFileException when the weights are not such a UNet
     */
    public static UnetConfig fromWeights(WeightSource weights, int numHeads) {
        return UnetConfigProbe.derive(weights, numHeads);
    }

    /** The same config with a fixed head width instead of a fixed head count (SD2.x: 64). */
    public UnetConfig withHeadDim(int channelsPerHead) {
        return new UnetConfig(inChannels, outChannels, modelChannels, channelMult, numResBlocks, attention, 0,
                channelsPerHead, contextDim, transformerDepth, linearProj);
    }

    public int levels() {
        return channelMult.size();
    }

    /** Width of a level. */
    public int channels(int level) {
        return modelChannels * channelMult.get(level);
    }

    /** Width of the timestep embedding (LDM: 4 x modelChannels). */
    public int timeEmbedDim() {
        return 4 * modelChannels;
    }

    public int headsFor(long channels) {
        return numHeads > 0 ? numHeads : (int) (channels / headDim);
    }

    public long headDimFor(long channels) {
        return numHeads > 0 ? channels / numHeads : headDim;
    }

    /** Channel count of each skip connection, in the order the encoder produces them (12 for SD1). */
    public List<Integer> skipChannels() {
        List<Integer> out = new ArrayList<>();
        out.add(modelChannels);
        for (int level = 0; level < levels(); level++) {
            for (int i = 0; i < numResBlocks; i++) {
                out.add(channels(level));
            }
            if (level < levels() - 1) {
                out.add(channels(level));
            }
        }
        return out;
    }

    /** Width of the middle block's output. */
    public int midChannels() {
        return channels(levels() - 1);
    }
}
