package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a read that waits too long: when no byte came for the stall timeout, or the user cancels, it
 * closes the response body (which ends a blocked read of the JDK client) and interrupts the reader.
 */
final class StallWatchdog {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ij-diffusion download watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Thread reader;
    private final InputStream body;
    private final long stallNs;
    private final DownloadListener listener;
    private volatile long lastByte = System.nanoTime();
    private boolean active = true;
    volatile boolean fired;
    private final ScheduledFuture<?> task;

    StallWatchdog(Thread reader, InputStream body, Duration stall, DownloadListener listener) {
        this.reader = reader;
        this.body = body;
        this.stallNs = stall.toNanos();
        this.listener = listener;
        long period = Math.max(20, Math.min(1000, stall.toMillis() / 4));
        this.task = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void fed() {
        lastByte = System.nanoTime();
    }

    private synchronized void check() {
        if (!active) {
            return;
        }
        if (System.nanoTime() - lastByte > stallNs || listener.cancelled()) {
            fired = !listener.cancelled();
            active = false;
            try {
                body.close();
            } catch (IOException | RuntimeException e) {
                // the interrupt below still ends the read
            }
            reader.interrupt();
        }
    }

    synchronized void stop() {
        active = false;
        task.cancel(false);
    }
}

