package org.ijdiffusion.plugin.ij.core;

import java.util.List;

/** One rule for a choice, in the dialog, a macro and headless: case-insensitive, errors name the valid ones. */
public final class Choices {
    private Choices() {
    }

    /** The item of {@code items} equal to {@code value} ignoring case, else an error listing them. */
    public static String canonical(String key, String value, List<String> items) {
        String v = value == null ? "" : value.trim();
        for (String item : items) {
            if (item.equalsIgnoreCase(v)) {
                return item;
            }
        }
        throw new IllegalArgumentException(key + ": '" + v + "' is not a valid choice; valid: " + String.join(", ", items));
    }
}
