package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The memory frame of one network call: a sub-manager of the caller's manager that owns the
 * temporaries, and an {@link NDScope} that also frees arrays the engine puts elsewhere (views of
 * weights, which land in the weights' manager). Only arrays passed to {@link #keep} survive; they are
 * attached to the caller's manager (and to the caller's own NDScope, if any).
 *
 * <pre>
 * try (ForwardScope s = ForwardScope.open(sample.getManager())) {
 *     NDArray x = s.input(sample);
 *     ...
 *     return s.keep(result);
 * }
 * </pre>
 */
public final class ForwardScope implements AutoCloseable {
    private final NDManager caller;
    private final NDManager sub;
    private final NDScope scope;
    private final List<NDArray> kept = new ArrayList<>();

    private ForwardScope(NDManager caller) {
        this.caller = caller;
        this.sub = caller.newSubManager();
        this.scope = new NDScope();
    }

    /**
     * Runs one layer's computation in its own {@link NDScope}: every array it creates is freed on
     * return except its result (which joins the enclosing scope). Peak memory is then one layer's
     * temporaries, not the whole network's.
     */
    public static NDArray step(Supplier<NDArray> body) {
        NDArray out;
        try (NDScope inner = new NDScope()) {
            out = body.get();
            NDScope.unregister(out);
            inner.suppressNotUsedWarning();
        }
        NDScope.register(out);
        return out;
    }

    /**
     * Runs {@code layers} in order, each as a {@link #step}, and frees each intermediate result as soon
     * as the next layer has consumed it: peak memory is one layer's input, temporaries and output.
     * {@code x} itself is never freed (it is the caller's).
     */
    public static NDArray chain(NDArray x, List<UnaryOperator<NDArray>> layers) {
        NDArray h = x;
        for (UnaryOperator<NDArray> layer : layers) {
            NDArray in = h;
            h = step(() -> layer.apply(in));
            if (in != x && in != h) {
                in.close();
            }
        }
        return h;
    }

    /** Opens a frame whose survivors will belong to {@code caller}. */
    public static ForwardScope open(NDManager caller) {
        return new ForwardScope(caller);
    }

    /** The manager of the temporaries. */
    public NDManager manager() {
        return sub;
    }

    /**
     * A copy of a caller's array owned by this frame, so that results computed from it (as first
     * operand) are owned by the frame too. The caller's array is untouched.
     */
    public NDArray input(NDArray x) {
        NDArray copy = x.duplicate();
        copy.attach(sub);
        return copy;
    }

    /** Marks {@code x} as a result: it outlives the frame, owned by the caller's manager. */
    public NDArray keep(NDArray x) {
        x.attach(caller);
        NDScope.unregister(x);
        kept.add(x);
        return x;
    }

    @Override
    public void close() {
        scope.close();
        sub.close();
        for (NDArray x : kept) {
            NDScope.register(x);
        }
    }
}
