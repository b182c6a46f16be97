package org.ijdiffusion.diffusion.model;

/** VAE architecture read from LDM-named weights (encoder/decoder, without {@code first_stage_model.}). */
public record VaeConfig(int latentChannels, int[] blockChannels, int layersPerBlock) {

    public static VaeConfig read(WeightSource w) {
        int latent = w.has("post_quant_conv.weight") ? Shapes.dim(w, "post_quant_conv.weight", 0)
                : Shapes.dim(w, "decoder.conv_in.weight", 1);
        int levels = Shapes.count(w, "encoder\\.down\\.(\\d+)\\..*");
        int[] channels = new int[levels];
        for (int l = 0; l < levels; l++) {
            channels[l] = Shapes.dim(w, "encoder.down." + l + ".block.0.conv1.weight", 0);
        }
        int layers = Shapes.count(w, "encoder\\.down\\.0\\.block\\.(\\d+)\\..*");
        return new VaeConfig(latent, channels, layers);
    }
}
