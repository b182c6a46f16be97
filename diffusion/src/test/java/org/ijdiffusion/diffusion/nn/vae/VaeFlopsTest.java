package org.ijdiffusion.diffusion.nn.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.LongStream;
import org.ijdiffusion.diffusion.model.ExpectedKeys;
import org.ijdiffusion.diffusion.model.RandomSd15;
import org.junit.jupiter.api.Test;

/** The VAE decode FLOP count: SD1.5's published figure and a hand count of a small decoder. */
class VaeFlopsTest {

    @Test
    void sd15DecodeAt512Is2Point51Tflop() {
        VaeFlops f = VaeFlops.decode(RandomSd15.VAE, 1, 64, 64);
        System.out.printf("SD1.5 VAE decode 512: %.4f TFLOP%n", f.total() / 1e12);
        assertEquals(2.51e12, f.total(), 0.01 * 2.51e12);
        assertEquals(2 * f.total(), VaeFlops.decode(RandomSd15.VAE, 2, 64, 64).total());
    }

    /**
     * One level (no upsampling) at a 1x1 latent: each conv and linear map does one multiply-add per
     * weight, so conv + linear is twice the decoder's and post_quant_conv's weights of rank 2 and 4 that
     * {@link ExpectedKeys} (the names the loader requires) lists; each attention matmul is one
     * multiply-add per channel.
     */
    @Test
    void everyDecoderWeightIsCountedOnceAtOnePixel() {
        for (boolean attention : new boolean[] {false, true}) {
            VaeConfig c = new VaeConfig(16, new int[] {2}, 2, 4, 3, 3, new boolean[] {false},
                    new boolean[] {attention}, 4, 1e-6f);
            long weights = 0;
            for (Map.Entry<String, long[]> e : ExpectedKeys.vae(c).entrySet()) {
                boolean decode = e.getKey().startsWith("decoder.") || e.getKey().startsWith("post_quant_conv.");
                if (decode && e.getValue().length >= 2) {
                    weights += LongStream.of(e.getValue()).reduce(1, (a, b) -> a * b);
                }
            }
            VaeFlops f = VaeFlops.decode(c, 1, 1, 1);
            int attentionBlocks = 1 + (attention ? 3 : 0);
            assertEquals(2 * weights, f.conv() + f.linear());
            assertEquals(attentionBlocks * 2 * 2 * 32, f.attention());
        }
    }

    /** Two levels (4 and 8 channels), 2 latent channels, attention in decoder level 1, a 2x3 latent. */
    @Test
    void smallDecoderMatchesAHandCount() {
        VaeConfig c = new VaeConfig(4, new int[] {1, 2}, 1, 2, 3, 3, new boolean[] {false, false},
                new boolean[] {false, true}, 2, 1e-6f);
        long conv = 0;
        long linear = 0;
        long attention = 0;
        conv += 2 * 2 * 2 * 6;                                   // post_quant_conv 1x1 at 2x3
        conv += 2 * 2 * 8 * 9 * 6;                               // conv_in 2 -> 8
        conv += 2 * (2 * (2 * 8 * 8 * 9 * 6));                   // mid block_1, block_2
        conv += 2 * (2 * (2 * 8 * 8 * 9 * 6));                   // up.1 block.0, block.1 (8 -> 8)
        linear += 3 * (4 * (2 * 8 * 8 * 6));                     // mid attn_1, up.1 attn.0, attn.1: q k v proj_out
        attention += 3 * (2 * (2 * 6 * 6 * 8));                  // their q k^T and p v over 6 positions
        conv += 2 * 8 * 8 * 9 * 24;                              // up.1 upsample conv at 4x6
        conv += 2 * 8 * 4 * 9 * 24 + 2 * 4 * 4 * 9 * 24 + 2 * 8 * 4 * 24; // up.0 block.0 8 -> 4 (nin_shortcut)
        conv += 2 * (2 * 4 * 4 * 9 * 24);                        // up.0 block.1
        conv += 2 * 4 * 3 * 9 * 24;                              // conv_out 4 -> 3
        assertEquals(new VaeFlops(conv, linear, attention), VaeFlops.decode(c, 1, 2, 3));
    }
}
