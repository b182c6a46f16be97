package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;
import org.ijdiffusion.diffusion.io.MappedArrays;

/**
 * Layers whose weights may be kept in float16 ({@link Params#compact}) upcast them where they are
 * used: {@link #apply} runs an op on float32 copies and frees them at once, so only one layer's
 * weights are ever float32 at a time. Float32 weights are used as they are. Weights that still alias
 * their file's mapping are copied into engine memory at their first use ({@link MappedArrays}).
 *
 * <p>With {@link FusedOps} on CPU the weight is converted into one float32 scratch array that every
 * layer reuses (grown to the largest weight, 118 MB for SD1.5): fresh arrays for each of the ~700
 * upcasts of a step would each be faulted in again. The ops run one at a time on it (a lock), which
 * the engine does anyway (one generation at a time).
 */
public final class Weights {
    static {
        // DJL's offline, no-tracking and cache settings, before its engine starts
        org.ijdiffusion.diffusion.util.DjlEnvironment.configure();
    }

    private static final Object SCRATCH_LOCK = new Object();
    private static NDManager scratchManager;
    private static NDArray scratch;

    private Weights() {
    }

    /** {@code op(weight, bias)} with both as float32 ({@code bias} may be null). */
    public static NDArray apply(NDArray weight, NDArray bias, BinaryOperator<NDArray> op) {
        NDArray storedW = MappedArrays.resident(weight);
        NDArray storedB = MappedArrays.resident(bias);
        if (storedW.getDataType() == DataType.FLOAT16 && !storedW.getDevice().isGpu() && FusedOps.available()) {
            synchronized (SCRATCH_LOCK) {
                return run(op, FusedOps.convertInto(storedW, scratch(storedW.size())), true, storedB);
            }
        }
        NDArray w = f32(storedW);
        return run(op, w, w != storedW, storedB);
    }

    /** {@code ownW}: w is this call's float32 copy or a view of the scratch (closed after), not a stored weight. */
    private static NDArray run(BinaryOperator<NDArray> op, NDArray w, boolean ownW, NDArray storedB) {
        NDArray b = f32(storedB);
        try {
            return op.apply(w, b);
        } finally {
            if (ownW) {
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

    /** The float32 scratch array, at least {@code size} elements (called under the lock). */
    private static NDArray scratch(long size) {
        if (scratch == null || scratch.size() < size) {
            if (scratchManager == null) {
                scratchManager = NDManager.newBaseManager("PyTorch");
            }
            if (scratch != null) {
                scratch.close();
            }
            scratch = scratchManager.zeros(new Shape(size), DataType.FLOAT32);
            // the scratch outlives the step whose scope it was created in
            NDScope.unregister(scratch);
        }
        return scratch;
    }

    /**
     * {@code op(scratch)} on the float32 scratch array (at least {@code size} elements, flat), under its
     * lock: for kernels that write a weight into it in a layout of their own.
     */
    static NDArray withScratch(long size, java.util.function.UnaryOperator<NDArray> op) {
        synchronized (SCRATCH_LOCK) {
            return op.apply(scratch(size));
        }
    }

    /** Frees the scratch array (it is made again when needed): when the models are closed. */
    public static void releaseScratch() {
        synchronized (SCRATCH_LOCK) {
            if (scratch != null) {
                scratch.close();
                scratch = null;
            }
        }
    }
}
