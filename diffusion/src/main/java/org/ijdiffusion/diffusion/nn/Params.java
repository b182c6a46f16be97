package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.WeightSource;

/**
 * Loads a network's parameters by their checkpoint names, checking shapes and recording which
 * names were used, so the loader can report missing and unused keys. {@link #at(String)} gives a
 * view whose names are relative to a sub-module ("input_blocks.1.0").
 */
public final class Params {
    private final WeightSource source;
    private final NDManager manager;
    private final String prefix;
    private final Set<String> used;
    private final boolean compact;
    private final Compute compute;

    public Params(WeightSource source, NDManager manager) {
        this(source, manager, "", new TreeSet<>(), false, Compute.FP32);
    }

    private Params(WeightSource source, NDManager manager, String prefix, Set<String> used, boolean compact,
            Compute compute) {
        this.source = source;
        this.manager = manager;
        this.prefix = prefix;
        this.used = used;
        this.compact = compact;
        this.compute = compute;
    }

    /**
     * A loader that keeps float16 tensors in float16 ({@link WeightSource#loadCompact}), for networks
     * whose layers upcast their weights at use ({@link Weights#f32}).
     */
    public static Params compact(WeightSource source, NDManager manager) {
        return new Params(source, manager, "", new TreeSet<>(), true, Compute.FP32);
    }

    /**
     * This loader for layers that compute with {@code c} (they convert their weights through
     * {@link Compute#weight}); a compute other than float32 loads tensors as stored
     * ({@link WeightSource#loadCompact}), since it converts them itself. Shares the record of used names.
     */
    public Params withCompute(Compute c) {
        return new Params(source, manager, prefix, used, compact || c != Compute.FP32, c);
    }

    /**
     * This loader keeping float16 tensors in float16 (as {@link #compact}), for the weights of layers
     * that upcast at use; shares the record of used names.
     */
    public Params compactView() {
        return new Params(source, manager, prefix, used, true, compute);
    }

    /** How the layers loaded through this view hold their weights and compute. */
    public Compute compute() {
        return compute;
    }

    /** A view of the sub-module {@code name} (names below it are relative). */
    public Params at(String name) {
        return new Params(source, manager, prefix + name + ".", used, compact, compute);
    }

    public boolean has(String name) {
        return source.has(prefix + name);
    }

    public long[] shape(String name) {
        String full = prefix + name;
        if (!source.has(full)) {
            throw missing(full, null);
        }
        return source.shape(full);
    }

    /** The tensor {@code name}; a clear error if it is missing. */
    public NDArray get(String name) {
        String full = prefix + name;
        if (!source.has(full)) {
            throw missing(full, null);
        }
        used.add(full);
        return compact ? source.loadCompact(full, manager) : source.load(full, manager);
    }

    /** The tensor {@code name}, which must have exactly this shape. */
    public NDArray get(String name, long... expectedShape) {
        String full = prefix + name;
        if (!source.has(full)) {
            throw missing(full, expectedShape);
        }
        long[] actual = source.shape(full);
        if (!Arrays.equals(actual, expectedShape)) {
            throw new ModelFileException("Tensor '" + full + "' in " + source.origin() + " has shape "
                    + Arrays.toString(actual) + " but this network needs " + Arrays.toString(expectedShape)
                    + ". The file does not match the model kind it was recognised as.");
        }
        used.add(full);
        return compact ? source.loadCompact(full, manager) : source.load(full, manager);
    }

    /** The tensor or null when absent. */
    public NDArray optional(String name) {
        return has(name) ? get(name) : null;
    }

    /** Names loaded so far (through this view and every other view of the same loader). */
    public Set<String> used() {
        return used;
    }

    /** Names in the source that no module asked for. */
    public Set<String> unused() {
        Set<String> u = new TreeSet<>(source.names());
        u.removeAll(used);
        return u;
    }

    public NDManager manager() {
        return manager;
    }

    private ModelFileException missing(String full, long[] shape) {
        return new ModelFileException("Tensor '" + full + "'" + (shape != null ? " " + Arrays.toString(shape) : "")
                + " is missing from " + source.origin() + ". The file is incomplete or of another model kind.");
    }
}
