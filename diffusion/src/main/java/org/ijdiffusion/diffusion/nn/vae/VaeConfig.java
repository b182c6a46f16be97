package org.ijdiffusion.diffusion.nn.vae;

import java.util.Arrays;
import java.util.SortedSet;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.WeightSource;

/**
 * The shape of an LDM AutoencoderKL (the SD1.x VAE), read from its weights.
 *
 * @param ch base channel count (output of {@code encoder.conv_in})
 * @param chMult channel multiplier per resolution level, from the finest level down
 * @param numResBlocks residual blocks per encoder level (the decoder has one more)
 * @param zChannels latent channels
 * @param inChannels image channels into the encoder
 * @param outChannels image channels out of the decoder
 * @param encoderAttention per level: whether the encoder's level has attention after each block
 * @param decoderAttention per level (LDM {@code up} index): whether the decoder's level has attention
 * @param groups group-norm groups
 * @param eps group-norm epsilon
 */
public record VaeConfig(int ch, int[] chMult, int numResBlocks, int zChannels, int inChannels, int outChannels,
        boolean[] encoderAttention, boolean[] decoderAttention, int groups, float eps) {

    /** The group count and epsilon every SD1.x/SD2.x VAE uses. */
    public static final int DEFAULT_GROUPS = 32;
    public static final float DEFAULT_EPS = 1e-6f;

    private static final String NETWORK = "an SD VAE";

    public VaeConfig {
        chMult = chMult.clone();
        encoderAttention = encoderAttention.clone();
        decoderAttention = decoderAttention.clone();
        if (chMult.length == 0 || encoderAttention.length != chMult.length
                || decoderAttention.length != chMult.length) {
            throw new IllegalArgumentException("VAE config needs one multiplier and attention flag per level");
        }
    }

    /**
     * An SD-style VAE of any size: no attention inside the levels (only in the middle blocks), as many
     * image channels out as in, {@link #DEFAULT_GROUPS} groups and {@link #DEFAULT_EPS}.
     */
    public static VaeConfig of(int ch, int[] chMult, int numResBlocks, int zChannels, int imageChannels) {
        boolean[] none = new boolean[chMult.length];
        return new VaeConfig(ch, chMult, numResBlocks, zChannels, imageChannels, imageChannels, none, none,
                DEFAULT_GROUPS, DEFAULT_EPS);
    }

    public int levels() {
        return chMult.length;
    }

    /** Channels at level {@code i}. */
    public int channels(int level) {
        return ch * chMult[level];
    }

    /** Channels of each level, from the finest down. */
    public int[] blockChannels() {
        int[] out = new int[levels()];
        for (int l = 0; l < out.length; l++) {
            out[l] = channels(l);
        }
        return out;
    }

    /** Image pixels per latent pixel along each axis (2^(levels-1)). */
    public int downscale() {
        return 1 << (levels() - 1);
    }

    @Override
    public int[] chMult() {
        return chMult.clone();
    }

    @Override
    public boolean[] encoderAttention() {
        return encoderAttention.clone();
    }

    @Override
    public boolean[] decoderAttention() {
        return decoderAttention.clone();
    }

    /** Derives the configuration from tensor names and shapes (VAE names, {@code first_stage_model.} removed). */
    public static VaeConfig fromWeights(WeightSource w) {
        long[] convIn = require(w, "encoder.conv_in.weight");
        long z = w.has("decoder.conv_in.weight") ? require(w, "decoder.conv_in.weight")[1]
                : require(w, "post_quant_conv.weight")[0];
        long out = w.firstShape(1, NETWORK, "decoder.conv_out.weight", "decoder.conv_out.bias")[0];
        int ch = (int) convIn[0];
        SortedSet<Integer> down = w.indices("encoder.down.");
        SortedSet<Integer> firstLevel = w.indices("encoder.down.0.block.");
        if (down.isEmpty() || firstLevel.isEmpty()) {
            throw new ModelFileException("No VAE encoder blocks (encoder.down.N.block.M.*) in " + w.origin()
                    + ". The file is not an SD VAE or its VAE part is incomplete.");
        }
        int levels = down.last() + 1;
        int blocks = firstLevel.last() + 1;
        int[] mult = new int[levels];
        boolean[] encAttn = new boolean[levels];
        boolean[] decAttn = new boolean[levels];
        for (int i = 0; i < levels; i++) {
            String first = "encoder.down." + i + ".block.0.";
            long c = w.firstShape(1, NETWORK, first + "conv2.weight", first + "conv1.weight", first + "norm2.weight")[0];
            if (c % ch != 0) {
                throw new ModelFileException("VAE level " + i + " has " + c + " channels, not a multiple of the base "
                        + ch + " (" + w.origin() + ")");
            }
            mult[i] = (int) (c / ch);
            encAttn[i] = w.has("encoder.down." + i + ".attn.0.q.weight");
            decAttn[i] = w.has("decoder.up." + i + ".attn.0.q.weight");
            SortedSet<Integer> up = w.indices("decoder.up." + i + ".block.");
            if (up.isEmpty() || up.last() != blocks) {
                throw new ModelFileException("VAE decoder level " + i + " in " + w.origin() + " has "
                        + (up.isEmpty() ? 0 : up.last() + 1) + " blocks, expected " + (blocks + 1)
                        + " (one more than the encoder's " + blocks + "). The file is not an SD VAE or is incomplete.");
            }
        }
        return new VaeConfig(ch, mult, blocks, (int) z, (int) convIn[1], (int) out, encAttn, decAttn,
                DEFAULT_GROUPS, DEFAULT_EPS);
    }

    /** A convolution's weight shape. */
    private static long[] require(WeightSource w, String name) {
        return w.requireShape(name, 4, NETWORK);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && ch == c.ch && Arrays.equals(chMult, c.chMult)
                && numResBlocks == c.numResBlocks && zChannels == c.zChannels && inChannels == c.inChannels
                && outChannels == c.outChannels && Arrays.equals(encoderAttention, c.encoderAttention)
                && Arrays.equals(decoderAttention, c.decoderAttention) && groups == c.groups && eps == c.eps;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {ch, Arrays.hashCode(chMult), numResBlocks, zChannels, inChannels,
            outChannels, Arrays.hashCode(encoderAttention), Arrays.hashCode(decoderAttention), groups,
            Float.floatToIntBits(eps)});
    }

    @Override
    public String toString() {
        return "VaeConfig[ch=" + ch + ", chMult=" + Arrays.toString(chMult) + ", numResBlocks=" + numResBlocks
                + ", zChannels=" + zChannels + ", in=" + inChannels + ", out=" + outChannels + ", encoderAttention="
                + Arrays.toString(encoderAttention) + ", decoderAttention=" + Arrays.toString(decoderAttention)
                + ", groups=" + groups + ", eps=" + eps + "]";
    }
}
