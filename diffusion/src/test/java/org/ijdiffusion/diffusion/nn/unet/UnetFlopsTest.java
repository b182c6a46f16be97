package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.ijdiffusion.diffusion.model.ExpectedKeys;
import org.ijdiffusion.diffusion.model.RandomSd15;
import org.junit.jupiter.api.Test;

/** The UNet FLOP count: SD1.5's published figure and a hand count of a small two-level UNet. */
class UnetFlopsTest {

    @Test
    void sd15At512Batch2Is1Point61Tflop() {
        UnetFlops f = UnetFlops.of(RandomSd15.UNET, 2, 64, 64, 77);
        double total = f.total();
        System.out.printf("SD1.5 UNet 512 batch 2: %.4f TFLOP, conv %.1f %%, linear %.1f %%, attention %.1f %%%n",
                total / 1e12, 100 * f.conv() / total, 100 * f.linear() / total, 100 * f.attention() / total);
        assertEquals(1.61e12, total, 0.01 * 1.61e12);
        assertEquals(0.55, f.conv() / total, 0.01);
        assertEquals(0.29, f.linear() / total, 0.01);
        assertEquals(0.16, f.attention() / total, 0.01);
    }

    /**
     * Two levels (8 and 16 channels), one res block, attention on level 1 only, 2 heads, context width
     * 6 x 3 tokens, at an odd 3x3 latent: the downsample gives 2x2 and the decoder upsamples back to 3x3.
     * Every layer written out by hand, in running order.
     */
    @Test
    void smallUnetMatchesAHandCount() {
        UnetConfig c = new UnetConfig(4, 4, 8, List.of(1, 2), 1, List.of(false, true), 2, 0, 6, 1, false);
        long conv = 0;
        long linear = 0;
        long attention = 0;
        // time_embed: 8 -> 32 -> 32
        linear += 2 * 8 * 32 + 2 * 32 * 32;
        // input_blocks.0: conv 4 -> 8 at 3x3 (9 pixels)
        conv += 2 * 4 * 8 * 9 * 9;
        // input_blocks.1: ResBlock 8 -> 8 at 3x3
        conv += 2 * (2 * 8 * 8 * 9 * 9);
        linear += 2 * 32 * 8;
        // input_blocks.2: Downsample 8 at 2x2 (ceil(3 / 2))
        conv += 2 * 8 * 8 * 9 * 4;
        // input_blocks.3: ResBlock 8 -> 16 at 2x2 (1x1 skip), SpatialTransformer 16
        conv += 2 * 8 * 16 * 9 * 4 + 2 * 16 * 16 * 9 * 4 + 2 * 8 * 16 * 4;
        linear += 2 * 32 * 16;
        // middle_block: ResBlock 16, SpatialTransformer 16, ResBlock 16 at 2x2
        conv += 2 * (2 * (2 * 16 * 16 * 9 * 4));
        linear += 2 * (2 * 32 * 16);
        // output_blocks.0: ResBlock 16 + 16 -> 16 at 2x2, SpatialTransformer
        conv += 2 * 32 * 16 * 9 * 4 + 2 * 16 * 16 * 9 * 4 + 2 * 32 * 16 * 4;
        linear += 2 * 32 * 16;
        // output_blocks.1: ResBlock 16 + 8 -> 16 at 2x2, SpatialTransformer, Upsample to 3x3 and conv 16
        conv += 2 * 24 * 16 * 9 * 4 + 2 * 16 * 16 * 9 * 4 + 2 * 24 * 16 * 4;
        linear += 2 * 32 * 16;
        conv += 2 * 16 * 16 * 9 * 9;
        // output_blocks.2: ResBlock 16 + 8 -> 8 at 3x3
        conv += 2 * 24 * 8 * 9 * 9 + 2 * 8 * 8 * 9 * 9 + 2 * 24 * 8 * 9;
        linear += 2 * 32 * 8;
        // output_blocks.3: ResBlock 8 + 8 -> 8 at 3x3
        conv += 2 * 16 * 8 * 9 * 9 + 2 * 8 * 8 * 9 * 9 + 2 * 16 * 8 * 9;
        linear += 2 * 32 * 8;
        // out.2: conv 8 -> 4 at 3x3
        conv += 2 * 8 * 4 * 9 * 9;
        // four SpatialTransformers of 16 channels over 4 tokens, context 3 tokens of width 6
        long transformerConv = 2 * (2 * 16 * 16 * 4);                      // proj_in, proj_out (1x1)
        long transformerLinear = 4 * (2 * 16 * 16 * 4)                     // attn1 q k v out
                + 2 * (2 * 16 * 16 * 4) + 2 * (2 * 6 * 16 * 3)              // attn2 q out, k v
                + 2 * 16 * 128 * 4 + 2 * 64 * 16 * 4;                       // GEGLU 16 -> 128, 64 -> 16
        long transformerAttention = 2 * (2 * 4 * 4 * 16) + 2 * (2 * 4 * 3 * 16); // q k^T and p v, self and cross
        conv += 4 * transformerConv;
        linear += 4 * transformerLinear;
        attention += 4 * transformerAttention;

        assertEquals(new UnetFlops(conv, linear, attention), UnetFlops.of(c, 1, 3, 3, 3));
        UnetFlops three = UnetFlops.of(c, 3, 3, 3, 3);
        assertEquals(new UnetFlops(3 * conv, 3 * linear, 3 * attention), three);
        assertEquals(3 * (conv + linear + attention), three.total());
    }

    /**
     * At a 1x1 latent (every level 1x1), batch 1 and one context token, each conv and linear layer does
     * one multiply-add per weight: conv + linear must be twice the weights of rank 2 and 4 that
     * {@link ExpectedKeys} (the names the loader requires) lists, so every layer is counted once with
     * its real shape; each of the two attention matmuls is one multiply-add per inner channel.
     */
    @Test
    void everyWeightIsCountedOnceAtOnePixel() {
        for (UnetConfig c : List.of(RandomSd15.UNET, RandomSd15.UNET.withHeadDim(40),
                new UnetConfig(9, 4, 24, List.of(1, 2, 3), 3, List.of(false, true, true), 4, 0, 40, 2, true))) {
            long weights = 0;
            for (long[] shape : ExpectedKeys.unet(c, false).values()) {
                if (shape.length >= 2) {
                    weights += LongStream.of(shape).reduce(1, (a, b) -> a * b);
                }
            }
            long inner = 0;
            List<Integer> widths = new ArrayList<>();
            for (int level = 0; level < c.levels(); level++) {
                if (c.attention().get(level)) {
                    // encoder res blocks, decoder res blocks (one more)
                    for (int i = 0; i < 2 * c.numResBlocks() + 1; i++) {
                        widths.add(c.channels(level));
                    }
                }
            }
            widths.add(c.midChannels());
            for (int w : widths) {
                inner += c.transformerDepth() * 2L * c.headsFor(w) * c.headDimFor(w);
            }
            UnetFlops f = UnetFlops.of(c, 1, 1, 1, 1);
            assertEquals(2 * weights, f.conv() + f.linear(), c.toString());
            assertEquals(2 * 2 * inner, f.attention(), c.toString());
        }
    }

    @Test
    void linearProjectionsCountAsLinearLayers() {
        UnetConfig c = new UnetConfig(4, 4, 8, List.of(1, 2), 1, List.of(false, true), 2, 0, 6, 1, false);
        UnetConfig linearProj = new UnetConfig(4, 4, 8, List.of(1, 2), 1, List.of(false, true), 2, 0, 6, 1, true);
        UnetFlops a = UnetFlops.of(c, 1, 3, 3, 3);
        UnetFlops b = UnetFlops.of(linearProj, 1, 3, 3, 3);
        long projections = 4 * (2 * (2 * 16 * 16 * 4));
        assertEquals(a.conv() - projections, b.conv());
        assertEquals(a.linear() + projections, b.linear());
        assertEquals(a.total(), b.total());
    }

    @Test
    void rejectsAnEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> UnetFlops.of(RandomSd15.UNET, 0, 64, 64, 77));
    }
}
