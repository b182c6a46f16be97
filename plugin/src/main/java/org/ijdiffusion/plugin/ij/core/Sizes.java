package org.ijdiffusion.plugin.ij.core;

/** The engine works on sizes that are multiples of 8: the nearest such size (at least 8). */
public final class Sizes {
    private Sizes() {
    }

    public static int multipleOf8(int v) {
        return Math.max(8, (int) Math.round(v / 8.0) * 8);
    }
}
