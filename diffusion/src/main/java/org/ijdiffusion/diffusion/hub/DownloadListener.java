package org.ijdiffusion.diffusion.hub;

/** What a download reports while it runs. Called on the downloading thread. */
public interface DownloadListener {
    /** A line worth showing: started, resuming, retrying, waiting for another process, verified ... */
    default void status(String line) {
    }

    /**
     * Bytes of {@code entry} on disk so far (resumed bytes included) of {@code total}; the rate counts
     * only this session's bytes. Called at most a few times a second.
     */
    default void progress(ModelEntry entry, long done, long total, double bytesPerSecond) {
    }

    /** Whether the user asked to stop; checked between chunks (the part file is kept for resuming). */
    default boolean cancelled() {
        return false;
    }

    DownloadListener NONE = new DownloadListener() {
    };
}
