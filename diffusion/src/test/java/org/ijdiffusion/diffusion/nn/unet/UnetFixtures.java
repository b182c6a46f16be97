package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.testutil.TestData;

/** Shared helpers of the UNet tests: the tiny checkpoints and golden comparison. */
final class UnetFixtures {
    static final String PREFIX = "model.diffusion_model.";
    /** Components: both sides float32 on CPU (FIXTURES.md). */
    static final double TOLERANCE = 1e-4;

    private UnetFixtures() {
    }

    static WeightSource weights(SafetensorsFile file) {
        return new PrefixWeights(file, PREFIX);
    }

    static SafetensorsFile model(String name) {
        return SafetensorsFile.open(TestData.model(name));
    }

    static SafetensorsFile golden(String name) {
        Path p = TestData.golden().resolve("components").resolve(name);
        return SafetensorsFile.open(p);
    }

    /** Asserts same shape and max |diff| within tolerance; prints the max |diff|. Returns it. */
    static double assertClose(String what, NDArray expected, NDArray actual) {
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
        assertTrue(max <= TOLERANCE, what + ": max |diff| " + max + " > " + TOLERANCE);
        return max;
    }
}
