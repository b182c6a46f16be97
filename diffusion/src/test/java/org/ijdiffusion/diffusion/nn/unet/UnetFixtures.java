package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.testutil.TestData;

/** Shared helpers of the UNet tests: the tiny checkpoints and golden comparison. */
final class UnetFixtures {
    static final String PREFIX = "model.diffusion_model.";
    /** Components: both sides float32 on CPU, expect ~1e-5 (FIXTURES.md). */
    static final double TOLERANCE = 1e-5;
    /**
     * For outputs the random-weight network makes ill-conditioned, measured: scaling the input by
     * (1 + 1e-7), one float ulp, moves the tiny inpainting UNet's output at t=500 by 5.7e-5 and the tiny
     * ControlNet's middle-block output by 2.1e-4 (its 1x1 middle level normalises groups of 2 values).
     * A reference computed with other float kernels cannot agree better than that.
     */
    static final double ILL_CONDITIONED_TOLERANCE = 1e-4;

    private UnetFixtures() {
    }

    static WeightSource weights(SafetensorsFile file) {
        return new PrefixWeights(file, PREFIX);
    }

    /** The UNet of an LDM-layout checkpoint, its config read from the weights (SD1.x: 8 heads). */
    static Unet unet(SafetensorsFile model, NDManager weights) {
        return Unet.load(weights(model), UnetConfig.fromWeights(weights(model), UnetConfig.SD1_HEADS), weights);
    }

    static SafetensorsFile model(String name) {
        return SafetensorsFile.open(TestData.model(name));
    }

    static SafetensorsFile golden(String name) {
        Path p = TestData.golden().resolve("components").resolve(name);
        return SafetensorsFile.open(p);
    }

    /** Asserts same shape and max |diff| within {@link #TOLERANCE}; prints the max |diff|. Returns it. */
    static double assertClose(String what, NDArray expected, NDArray actual) {
        return assertClose(what, expected, actual, TOLERANCE);
    }

    /** Asserts same shape and max |diff| within {@code tolerance}; prints the max |diff|. Returns it. */
    static double assertClose(String what, NDArray expected, NDArray actual, double tolerance) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + " shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        double max = 0;
        double maxRef = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs((double) e[i] - a[i]));
            maxRef = Math.max(maxRef, Math.abs(e[i]));
        }
        System.out.printf("%s: max |diff| = %.3e (max |ref| = %.3f, %d values)%n", what, max, maxRef, e.length);
        assertTrue(max <= tolerance, what + ": max |diff| " + max + " > " + tolerance);
        return max;
    }
}
