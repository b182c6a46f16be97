package org.ijdiffusion.diffusion.model;

/**
 * VAE architecture read from LDM-named weights (encoder/decoder, without {@code first_stage_model.}):
 * latent channels, image channels, the width after {@code conv_in}, each level's width, and
 * residual blocks per encoder level (the decoder has one more).
 */
public record VaeConfig(int latentChannels, int imageChannels, int baseChannels, int[] blockChannels,
        int layersPerBlock) {

    public static VaeConfig read(WeightSource w) {
        int latent = w.has("post_quant_conv.weight") ? Shapes.dim(w, "post_quant_conv.weight", 0)
                : Shapes.dim(w, "decoder.conv_in.weight", 1);
        int image = Shapes.dim(w, "encoder.conv_in.weight", 1);
        int base = Shapes.dim(w, "encoder.conv_in.weight", 0);
        int levels = Shapes.count(w, "encoder\\.down\\.(\\d+)\\..*");
        int[] channels = new int[levels];
        for (int l = 0; l < levels; l++) {
            channels[l] = Shapes.dim(w, "encoder.down." + l + ".block.0.conv1.weight", 0);
        }
        int layers = Shapes.count(w, "encoder\\.down\\.0\\.block\\.(\\d+)\\..*");
        if (levels == 0 || layers == 0) {
            throw new org.ijdiffusion.diffusion.io.ModelFileException("The VAE weights in " + w.origin()
                    + " have no encoder blocks (encoder.down.*): the file is incomplete or not a VAE.");
        }
        return new VaeConfig(latent, image, base, channels, layers);
    }
}
