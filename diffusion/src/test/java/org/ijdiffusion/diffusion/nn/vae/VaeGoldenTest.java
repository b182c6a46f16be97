package org.ijdiffusion.diffusion.nn.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The VAE against diffusers' outputs on the tiny checkpoint (testdata/golden/components/vae.safetensors). */
class VaeGoldenTest extends VaeFixture {
    static final double TOLERANCE = 2e-5;

    @Test
    void configIsReadFromTheWeights() {
        VaeConfig c = vae.config();
        assertEquals(32, c.ch());
        assertArrayEquals(new int[] {1, 1, 2, 2}, c.chMult());
        assertEquals(1, c.numResBlocks());
        assertEquals(4, c.zChannels());
        assertEquals(3, c.inChannels());
        assertEquals(3, c.outChannels());
        assertEquals(8, c.downscale());
        for (int i = 0; i < c.levels(); i++) {
            assertFalse(c.encoderAttention()[i]);
            assertFalse(c.decoderAttention()[i]);
        }
        assertTrue(vae.unusedKeys().isEmpty(), () -> "unused: " + vae.unusedKeys());
    }

    @Test
    void encodeMatchesMeanAndLogvar() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = golden.toFloat32("image", m);
            try (Gaussian g = vae.encode(image)) {
                assertEquals(m, g.mean().getManager());
                assertClose("mean", golden.toFloat32("mean", m), g.mean());
                assertClose("logvar", golden.toFloat32("logvar", m), g.logvar());
            }
        }
    }

    @Test
    void decodeMatches() {
        decodeCase("z", "decoded");
    }

    @Test
    void decodeNonSquareMatches() {
        decodeCase("z_b", "decoded_b");
    }

    private static void decodeCase(String in, String expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = vae.decode(golden.toFloat32(in, m));
            assertEquals(m, out.getManager());
            assertClose(expected, golden.toFloat32(expected, m), out);
        }
    }

    static double maxAbsDiff(NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs(e[i] - a[i]));
        }
        return max;
    }

    static void assertClose(String what, NDArray expected, NDArray actual) {
        double d = maxAbsDiff(expected, actual);
        System.out.printf("VAE %s: max |diff| = %.3e%n", what, d);
        assertTrue(d < TOLERANCE, what + ": max |diff| " + d);
    }
}
