package org.ijdiffusion.diffusion.model;

import java.util.Set;

/**
 * UNet architecture read from LDM-named weights (a ControlNet's too: then {@code outChannels} is 0).
 * {@code heads} is not in the weights; it comes from the model kind (8 for SD1.x).
 */
public record UNetConfig(int inChannels, int outChannels, int modelChannels, int[] channelMult,
        int numResBlocks, boolean[] attentionLevels, int contextDim, int transformerDepth, int heads,
        int timeEmbedDim) {

    /** SD1.x uses 8 attention heads at every level. */
    public static final int SD1_HEADS = 8;

    public int levels() {
        return channelMult.length;
    }

    /** Index of the first input block of level {@code level} (after {@code input_blocks.0}). */
    public int firstInputBlock(int level) {
        return 1 + level * (numResBlocks + 1);
    }

    public static UNetConfig read(WeightSource w, int heads) {
        int modelChannels = Shapes.dim(w, "input_blocks.0.0.weight", 0);
        int in = Shapes.dim(w, "input_blocks.0.0.weight", 1);
        int out = w.has("out.2.weight") ? Shapes.dim(w, "out.2.weight", 0) : 0;
        Set<Integer> inputs = Shapes.indices(w, "input_blocks\\.(\\d+)\\..*");
        Set<Integer> downs = Shapes.indices(w, "input_blocks\\.(\\d+)\\.0\\.op\\.weight");
        int maxIndex = inputs.stream().mapToInt(Integer::intValue).max().orElse(0);
        int resBlocks = downs.isEmpty() ? maxIndex : downs.iterator().next() - 1;
        if (resBlocks < 1) {
            throw new org.ijdiffusion.diffusion.io.ModelFileException("The UNet weights in " + w.origin()
                    + " have no residual blocks: the file is incomplete.");
        }
        int levels = (maxIndex - resBlocks) / (resBlocks + 1) + 1;
        int[] mult = new int[levels];
        boolean[] attention = new boolean[levels];
        for (int l = 0; l < levels; l++) {
            int first = 1 + l * (resBlocks + 1);
            mult[l] = Shapes.dim(w, "input_blocks." + first + ".0.out_layers.3.weight", 0) / modelChannels;
            attention[l] = w.has("input_blocks." + first + ".1.proj_in.weight");
        }
        int context = 0;
        for (String s : w.names()) {
            if (s.endsWith("transformer_blocks.0.attn2.to_k.weight")) {
                context = Math.toIntExact(w.shape(s)[1]);
                break;
            }
        }
        int depth = Shapes.count(w, "(?:input_blocks|middle_block|output_blocks)\\.\\d+\\.1\\.transformer_blocks\\.(\\d+)\\..*");
        int time = Shapes.dim(w, "time_embed.0.weight", 0);
        return new UNetConfig(in, out, modelChannels, mult, resBlocks, attention, context, depth, heads, time);
    }
}
