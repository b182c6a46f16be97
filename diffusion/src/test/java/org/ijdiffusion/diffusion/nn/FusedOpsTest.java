package org.ijdiffusion.diffusion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The libtorch kernels compiled from the TorchScript held in {@link FusedOps}, against DJL's ops and float64. */
class FusedOpsTest {
    @Test
    void theKernelsCompileOnTheShippedEngine() {
        assertTrue(FusedOps.available(), FusedOps.describe());
        assertEquals("fused", FusedOps.describe());
    }

    @Test
    void agreesWithTheComposedAttention() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            // self-attention with a length that is no multiple of any block size, cross-attention on 77
            // context tokens, one wide head (the VAE's), batch 1 and 2
            compare(m, 2, 333, 333, 8, 16);
            compare(m, 2, 300, 77, 4, 40);
            compare(m, 1, 257, 257, 1, 96);
            compare(m, 1, 64, 9, 2, 8);
        }
    }

    private static void compare(NDManager m, int b, int lq, int lk, int heads, int d) {
        NDArray q = m.randomNormal(new Shape(b, lq, (long) heads * d)).mul(2f);
        NDArray k = m.randomNormal(new Shape(b, lk, (long) heads * d)).mul(2f);
        NDArray v = m.randomNormal(new Shape(b, lk, (long) heads * d));
        NDArray fused = Ops.attention(q, k, v, heads);
        NDArray composed = Ops.composedAttention(q, k, v, heads, null);
        NDArray exact = Ops.composedAttention(q.toType(DataType.FLOAT64, false), k.toType(DataType.FLOAT64, false),
                v.toType(DataType.FLOAT64, false), heads, null);
        assertEquals(composed.getShape(), fused.getShape());
        double fusedError = error(fused, exact);
        double composedError = error(composed, exact);
        String what = "b" + b + " lq" + lq + " lk" + lk + " heads" + heads + " d" + d;
        System.out.printf("attention %s, max |diff| from float64: fused %.2e, composed %.2e%n", what, fusedError,
                composedError);
        // float32 rounding of sharp softmaxes: both are a few ulps of the largest output off the exact value
        assertTrue(fusedError < 1e-5, what + ": fused attention is off by " + fusedError);
        assertTrue(fusedError <= 2 * Math.max(composedError, 1e-7), what + ": fused attention (" + fusedError
                + ") is less accurate than the composed one (" + composedError + ")");
    }

    @Test
    void linearAgreesWithTheComposedOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            // 3-D tokens with bias, 2-D without, a width that is no multiple of a vector register
            compareLinear(m, new Shape(2, 333, 320), 1280, true);
            compareLinear(m, new Shape(2, 77, 768), 320, false);
            compareLinear(m, new Shape(3, 37), 19, true);
        }
    }

    private static void compareLinear(NDManager m, Shape in, long out, boolean withBias) {
        long width = in.get(in.dimension() - 1);
        NDArray x = m.randomNormal(in);
        NDArray w = m.randomNormal(new Shape(out, width)).div((float) Math.sqrt(width));
        NDArray b = withBias ? m.randomNormal(new Shape(out)) : null;
        NDArray fused = Ops.linear(x, w, b);
        NDArray composed = Ops.composedLinear(x, w, b);
        NDArray exact = Ops.composedLinear(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false),
                b == null ? null : b.toType(DataType.FLOAT64, false));
        assertEquals(composed.getShape(), fused.getShape());
        double fusedError = error(fused, exact);
        double composedError = error(composed, exact);
        String what = "linear " + in + " -> " + out + (withBias ? " + bias" : "");
        System.out.printf("%s, max |diff| from float64: fused %.2e, composed %.2e%n", what, fusedError, composedError);
        assertTrue(fusedError <= 2 * Math.max(composedError, 1e-7), what + ": oneDNN (" + fusedError
                + ") is less accurate than the composed linear (" + composedError + ")");
    }

    @Test
    void siluAgreesWithTheComposedOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDArray x = m.randomNormal(new Shape(2, 64, 9, 7)).mul(4f);
            NDArray exact = x.toType(DataType.FLOAT64, false);
            exact = exact.mul(exact.getNDArrayInternal().sigmoid());
            double fusedError = error(Ops.silu(x), exact);
            double composedError = error(x.mul(x.getNDArrayInternal().sigmoid()), exact);
            System.out.printf("SiLU, max |diff| from float64: fused %.2e, composed %.2e%n", fusedError, composedError);
            assertTrue(fusedError <= 2 * Math.max(composedError, 1e-7), "SiLU: " + fusedError);
        }
    }

    @Test
    void nearestUpsamplingRepeatsEachValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0f, 2 * 3 * 5 * 4).reshape(2, 3, 5, 4);
            NDArray repeated = x.repeat(2, 2).repeat(3, 2);
            assertArrayEquals(repeated.toFloatArray(), Ops.upsampleNearest2x(x).toFloatArray());
            assertEquals(repeated.getShape(), Ops.upsampleNearest2x(x).getShape());
        }
    }

    private static double error(NDArray a, NDArray exact) {
        return a.toType(DataType.FLOAT64, false).sub(exact).abs().max().getDouble();
    }

    @Test
    void areBitIdenticalFromRunToRun() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray q = m.randomNormal(new Shape(2, 1000, 64));
            NDArray k = m.randomNormal(new Shape(2, 1000, 64));
            NDArray v = m.randomNormal(new Shape(2, 1000, 64));
            float[] first = Ops.attention(q, k, v, 2).toFloatArray();
            NDArray w = m.randomNormal(new Shape(96, 64));
            float[] firstLinear = Ops.linear(q, w, null).toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(first, Ops.attention(q, k, v, 2).toFloatArray());
                assertArrayEquals(firstLinear, Ops.linear(q, w, null).toFloatArray());
            }
        }
    }

    @Test
    void itsResultBelongsToTheCallersScopeAndManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager call = m.newSubManager();
            NDArray q = call.ones(new Shape(1, 4, 8));
            NDArray inside;
            NDArray linear;
            try (NDScope scope = new NDScope()) {
                inside = Ops.attention(q, q, q, 2);
                assertFalse(inside.isReleased());
                assertTrue(call.getManagedArrays().contains(inside), "the result must join the caller's manager");
                linear = Ops.linear(q, call.ones(new Shape(3, 8)), null);
                assertTrue(call.getManagedArrays().contains(linear), "the result must join the caller's manager");
            }
            assertTrue(inside.isReleased(), "the step's scope must free the result");
            assertTrue(linear.isReleased(), "the step's scope must free the result");
        }
    }

    @Test
    void thePropertySelectsDjlsOps() {
        String before = System.getProperty(FusedOps.PROPERTY);
        try {
            System.setProperty(FusedOps.PROPERTY, "composed");
            assertFalse(FusedOps.available());
            assertEquals("composed", FusedOps.describe());
        } finally {
            if (before == null) {
                System.clearProperty(FusedOps.PROPERTY);
            } else {
                System.setProperty(FusedOps.PROPERTY, before);
            }
        }
        assertTrue(FusedOps.available());
    }
}
