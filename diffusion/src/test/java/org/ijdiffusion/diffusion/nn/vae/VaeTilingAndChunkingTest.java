package org.ijdiffusion.diffusion.nn.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.nn.Ops;
import org.junit.jupiter.api.Test;

/** Chunked mid attention is exact; tiled decoding is exact for one tile and close to the full decode otherwise. */
class VaeTilingAndChunkingTest extends VaeFixture {
    @Test
    void chunkedAttentionEqualsOneShot() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(2, 64, 12, 10));
            AttnBlock attn = vae.decoder.mid.attn1;
            NDArray full = attn.forward(x, Long.MAX_VALUE);
            NDArray chunked = attn.forward(x, 2L * 120 * 7); // 7 query rows per chunk, last chunk shorter
            double d = VaeGoldenTest.maxAbsDiff(full, chunked);
            System.out.printf("VAE attention chunked vs one shot: max |diff| = %.3e%n", d);
            assertTrue(d < 1e-6, "chunking changed the attention by " + d);
        }
    }

    @Test
    void oneTileIsExactlyTheFullDecode() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = golden.toFloat32("z_b", m);
            NDArray tiled = vae.decodeTiled(z, 12, 4);
            NDArray full = vae.decode(z);
            assertArrayEquals(full.toFloatArray(), tiled.toFloatArray());
        }
    }

    @Test
    void boundedDecodeOfASmallImageIsTheExactDecode() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = golden.toFloat32("z_b", m);
            assertTrue(z.getShape().get(2) * z.getShape().get(3) <= Vae.TILED_ABOVE_LATENT_PIXELS);
            assertArrayEquals(vae.decode(z).toFloatArray(), vae.decodeBounded(z).toFloatArray());
        }
    }

    @Test
    void tilesAreBlendedAtTheRightPlaces() {
        // A local "decoder" (nearest 8x upsampling, then a pointwise map): tiling must not change it.
        UnaryOperator<NDArray> local = x -> Ops.upsampleNearest2x(Ops.upsampleNearest2x(Ops.upsampleNearest2x(x)))
                .mul(3f).add(1f);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            NDArray z = m.randomNormal(new Shape(2, 4, 13, 22));
            NDArray full = local.apply(z);
            for (int[] c : new int[][] {{6, 2}, {5, 0}, {8, 3}, {7, 5}}) {
                NDArray tiled = new TiledDecoding(local, c[0], c[1]).decode(z);
                double d = VaeGoldenTest.maxAbsDiff(full, tiled);
                System.out.printf("VAE tiling of a local map, tile %d overlap %d: max |diff| = %.3e%n", c[0], c[1], d);
                assertTrue(d < 1e-5, "tile placement/blending is wrong: " + d);
            }
        }
    }

    /**
     * The tiny random-weight VAE has a receptive field, group-norm statistics and a mid attention
     * spanning the whole 8x12 latent, so tiles of it cannot reproduce the full decode closely (a real
     * SD VAE tiled at 64 latent pixels is far more local). What must hold: same shape, every value
     * finite, and more tile context brings the result closer to the full decode.
     */
    @Test
    void tiledDecodeApproachesTheFullDecodeWithMoreContext() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = golden.toFloat32("z_b", m);
            NDArray full = vae.decode(z);
            double previous = Double.MAX_VALUE;
            for (int[] c : new int[][] {{4, 0}, {6, 2}, {7, 5}, {10, 6}}) {
                NDArray tiled = vae.decodeTiled(z, c[0], c[1]);
                assertEquals(full.getShape(), tiled.getShape());
                double max = VaeGoldenTest.maxAbsDiff(full, tiled);
                double mean = full.sub(tiled).abs().mean().getFloat();
                System.out.printf("VAE tiled (tile %d, overlap %d) vs full on 8x12: max |diff| = %.3e, mean |diff| = %.3e%n",
                        c[0], c[1], max, mean);
                assertTrue(Double.isFinite(max));
                assertTrue(mean < previous, "more context should not move away from the full decode");
                previous = mean;
            }
        }
    }

    @Test
    void tileStartsCoverTheAxis() {
        TiledDecoding t = new TiledDecoding(vae::decode, 6, 2);
        assertArrayEquals(new int[] {0}, t.starts(6));
        assertArrayEquals(new int[] {0, 2}, t.starts(8));
        assertArrayEquals(new int[] {0, 4, 6}, t.starts(12));
        float[] r = TiledDecoding.ramp(8, 4, true, false);
        assertEquals(0.125f, r[0]);
        assertEquals(1f, r[7]);
        assertThrows(IllegalArgumentException.class, () -> new TiledDecoding(vae::decode, 4, 4));
    }

    @Test
    void badShapesGetClearErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vae.encode(m.zeros(new Shape(1, 3, 60, 64))));
            assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> vae.decode(m.zeros(new Shape(1, 3, 8, 8))));
        }
    }
}
