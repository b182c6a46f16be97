package org.ijdiffusion.diffusion.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * Weights holding NaN or infinity are refused when they are read: such a checkpoint (a broken merge,
 * an fp16 overflow) can only give black or noise pictures, and would do so without a word.
 */
public final class FiniteCheck {
    private FiniteCheck() {
    }

    /**
     * Whether every element of {@code a} is finite (temporaries freed at once). For float32 results such as
     * the UNet's output; weights are checked in Java as they are read ({@code TensorReader}), which is much
     * faster than libtorch's float16 isnan/isinf on CPU.
     */
    public static boolean allFinite(NDArray a) {
        try (NDManager tmp = a.getManager().newSubManager()) {
            NDArray nan = a.isNaN();
            nan.attach(tmp);
            NDArray inf = a.isInfinite();
            inf.attach(tmp);
            NDArray bad = nan.logicalOr(inf);
            bad.attach(tmp);
            NDArray any = bad.any();
            any.attach(tmp);
            return !any.getBoolean();
        }
    }

    static float[] require(float[] values, String tensor, Path file) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw notFinite(tensor, file);
            }
        }
        return values;
    }

    static ModelFileException notFinite(String tensor, Path file) {
        return new ModelFileException("Tensor '" + tensor + "' of " + file + " holds NaN or infinite values: the"
                + " file is broken (a bad merge or conversion?) and can only give black or noise pictures.");
    }
}
