package org.ijdiffusion.diffusion.testutil;

import java.util.function.Supplier;

/** Runs code with a system property set, restoring the property's previous state afterwards. */
public final class WithProperty {
    private WithProperty() {
    }

    /** {@code body} with {@code key=value} (the switches the engine reads when a model loads). */
    public static <T> T get(String key, String value, Supplier<T> body) {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
