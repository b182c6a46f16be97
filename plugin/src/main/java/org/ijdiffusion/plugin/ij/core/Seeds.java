package org.ijdiffusion.plugin.ij.core;

import java.security.SecureRandom;

/** A1111's seed rule: -1 picks a random seed (then reported); otherwise 0 .. 2^32-1. */
public final class Seeds {
    public static final long MAX = 0xffffffffL;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Seeds() {
    }

    public static long resolve(long seed) {
        if (seed == -1) {
            return RANDOM.nextInt(Integer.MAX_VALUE);
        }
        if (seed < 0 || seed > MAX) {
            throw new IllegalArgumentException("seed must be between 0 and " + MAX + ", or -1 for random (got " + seed + ")");
        }
        return seed;
    }
}
