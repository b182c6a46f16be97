package org.ijdiffusion.diffusion.hub;

import java.time.Duration;

/** How one attempt of a download ended, for the downloader's retry loop; {@code retryAfter}: the server's Retry-After, or null. */
record Step(Kind kind, String message, Duration retryAfter) {
    enum Kind { DONE, RETRY, RESTART, GIVE_UP }

    static final Step DONE_STEP = new Step(Kind.DONE, null, null);

    static Step retry(String m) {
        return new Step(Kind.RETRY, m, null);
    }

    static Step retryAfter(String m, Duration wait) {
        return new Step(Kind.RETRY, m, wait);
    }

    static Step restart(String m) {
        return new Step(Kind.RESTART, m, null);
    }

    static Step giveUp(String m) {
        return new Step(Kind.GIVE_UP, m, null);
    }
}

