package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.sampling.NoiseSource;

/**
 * The noise of a batch as A1111's {@code all_seeds}: image {@code i} has its own generator seeded
 * {@code seed + i}, so each image of a batch is the image its seed makes alone (same draws, in the same
 * order, as a batch of one). The engine's generator is global and its state cannot be saved, so each
 * draw re-seeds image i's generator and replays its earlier draws (latent-sized, cheap beside a UNet
 * step). A batch of one is {@link SeededNoise} itself.
 */
final class BatchNoise implements NoiseSource {
    private final long seed;
    private final int batch;
    private final NDManager manager;
    private final List<Shape> drawn = new ArrayList<>();

    private BatchNoise(long seed, int batch, NDManager manager) {
        this.seed = seed;
        this.batch = batch;
        this.manager = manager;
    }

    /** The noise source of a request: {@link SeededNoise} for one image, per-image seeds for more. */
    static NoiseSource of(long seed, int batch, NDManager manager) {
        return batch == 1 ? new SeededNoise(seed, manager) : new BatchNoise(seed, batch, manager);
    }

    @Override
    public NDArray next(Shape shape) {
        if (shape.get(0) != batch) {
            throw new IllegalStateException("noise of shape " + shape + " asked for a batch of " + batch);
        }
        Shape one = new Shape(prepend(shape));
        NDList images = new NDList();
        for (int i = 0; i < batch; i++) {
            try (NDManager scratch = manager.newSubManager()) {
                new SeededNoise(seed + i, scratch);
                for (Shape s : drawn) {
                    scratch.randomNormal(s).close();
                }
                NDArray x = scratch.randomNormal(one);
                x.attach(manager);
                images.add(x);
            }
        }
        drawn.add(one);
        NDArray out = NDArrays.concat(images, 0);
        images.close();
        return out;
    }

    private static long[] prepend(Shape shape) {
        long[] d = shape.getShape().clone();
        d[0] = 1;
        return d;
    }
}
