package org.ijdiffusion.diffusion.pipeline;

import java.util.List;
import org.ijdiffusion.diffusion.io.MappedArrays;

/**
 * A background thread that makes the engine copies of a model's weights that still alias the file
 * (float32 networks hold their float16 weights as mapped until first use, {@link MappedArrays}), in
 * load order, while the text encoder and the first denoising step run: the reads leave the first
 * step's critical path. The copies are the ones the first use would make, so memory and numbers are
 * unchanged; only when they are made moves. {@code -Dijd.prefetch=false} turns it off (for
 * comparisons).
 *
 * <p>{@link #close} stops the thread and waits for it, before the model's arrays close.
 */
final class WeightPrefetch implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile int made;

    private WeightPrefetch(List<?> owners) {
        thread = new Thread(() -> made = MappedArrays.prefetch(owners, () -> stop), "ij-diffusion weight prefetch");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** Starts prefetching the still-mapped weights of {@code owners} (the model's open files); null when off. */
    static WeightPrefetch start(List<?> owners) {
        if ("false".equals(System.getProperty("ijd.prefetch"))) {
            return null;
        }
        WeightPrefetch p = new WeightPrefetch(owners);
        p.thread.start();
        return p;
    }

    /** Waits for the thread to end by itself; how many copies it made. */
    int await() throws InterruptedException {
        thread.join();
        return made;
    }

    @Override
    public void close() {
        stop = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
