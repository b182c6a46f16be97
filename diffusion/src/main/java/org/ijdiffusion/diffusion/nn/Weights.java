package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.io.MappedArrays;
import ai.djl.ndarray.types.DataType;
import java.util.function.BinaryOperator;

/**
 * Layers whose weights may be kept in float16 ({@link Params#compact}) upcast them where they are
 * used: {@link #apply} runs an op on float32 copies and frees them at once, so only one layer's
 * weights are ever float32 at a time. Float32 weights are used as they are. Weights that still alias
 * their file's mapping are copied into engine memory at their first use ({@link MappedArrays}).
 */
public final class Weights {
    private Weights() {
    }

    /** {@code op(weight, bias)} with both as float32 ({@code bias} may be null). */
    public static NDArray apply(NDArray weight, NDArray bias, BinaryOperator<NDArray> op) {
        NDArray storedW = MappedArrays.resident(weight);
        NDArray storedB = MappedArrays.resident(bias);
        NDArray w = f32(storedW);
        NDArray b = f32(storedB);
        try {
            return op.apply(w, b);
        } finally {
            if (w != storedW) {
                w.close();
            }
            if (b != storedB) {
                b.close();
            }
        }
    }

    private static NDArray f32(NDArray w) {
        return w == null || w.getDataType() == DataType.FLOAT32 ? w : w.toType(DataType.FLOAT32, false);
    }
}
