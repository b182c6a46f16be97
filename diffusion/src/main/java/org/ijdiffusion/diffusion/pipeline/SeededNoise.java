package org.ijdiffusion.diffusion.pipeline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.ijdiffusion.diffusion.sampling.NoiseSource;

/**
 * One random generator per request, as in the noise contract: seeded once, every draw in order.
 * DJL's engine RNG is global; a request holds {@link #LOCK} for its whole run so draws of two
 * requests never interleave.
 */
public final class SeededNoise implements NoiseSource {
    /** Held by a generation from its first draw to its last. */
    public static final Object LOCK = new Object();

    private final NDManager manager;
    private int draws;

    /** Seeds the engine generator; call while holding {@link #LOCK}. */
    public SeededNoise(long seed, NDManager manager) {
        this.manager = manager;
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be 0 or more (got " + seed + ")");
        }
        Engine.getInstance().setRandomSeed((int) seed);
        // DJL's setRandomSeed takes an int; torch.manual_seed takes 64 bits (A1111 seeds reach 2^32-1)
        JniUtils.setSeed(seed);
    }

    @Override
    public NDArray next(Shape shape) {
        draws++;
        return manager.randomNormal(shape);
    }

    public int draws() {
        return draws;
    }
}
