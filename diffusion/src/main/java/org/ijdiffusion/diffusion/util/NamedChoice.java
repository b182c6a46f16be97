package org.ijdiffusion.diffusion.util;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An option with a command-line name and a label (A1111's wording), so dialog, macro key and code
 * agree. {@link #fromName} accepts either (or the enum constant's name), ignoring case.
 */
public interface NamedChoice {
    /** The command-line spelling, e.g. {@code euler_a}. */
    String cliName();

    /** The label users know, e.g. {@code Euler a}. */
    String label();

    /**
     * The constant of {@code type} called {@code name}; otherwise IllegalArgumentException
     * "unknown {what} 'x'; valid: cli (label), ...".
     */
    static <E extends Enum<E> & NamedChoice> E fromName(Class<E> type, String name, String what) {
        if (name != null) {
            String n = name.trim();
            for (E e : type.getEnumConstants()) {
                if (e.cliName().equalsIgnoreCase(n) || e.label().equalsIgnoreCase(n) || e.name().equalsIgnoreCase(n)) {
                    return e;
                }
            }
        }
        String valid = Arrays.stream(type.getEnumConstants())
                .map(e -> e.cliName().equals(e.label()) ? e.cliName() : e.cliName() + " (" + e.label() + ")")
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; valid: " + valid);
    }
}
