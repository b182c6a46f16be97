package org.ijdiffusion.plugin.ij.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of one command's dialog, declared once: the key is the macro key (A1111's parameter
 * names: {@code prompt}, {@code negative_prompt}, {@code cfg_scale} ...), the dialog label (ImageJ
 * shows '_' as a space) and the name in the replayable macro line. Every value goes through the same
 * validation whether it comes from the dialog, a macro or a headless run. No ImageJ here.
 */
public final class ParamForm {
    /** What kind of value a field holds. */
    public enum Kind { TEXT, TEXT_AREA, INTEGER, NUMBER, CHOICE, CHECKBOX }

    /** One field. {@code items} only for CHOICE; {@code min/max} for numbers; {@code decimals} for NUMBER. */
    public record Field(String key, Kind kind, String defaultValue, List<String> items, double min, double max,
            int decimals) {
    }

    private final List<Field> fields = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final java.util.Set<String> advanced = new java.util.HashSet<>();
    private final java.util.Set<String> pathChoices = new java.util.HashSet<>();
    private final java.util.Set<String> touched = new java.util.HashSet<>();

    public ParamForm text(String key, String def) {
        return add(new Field(key, Kind.TEXT, def, List.of(), 0, 0, 0));
    }

    public ParamForm textArea(String key, String def) {
        return add(new Field(key, Kind.TEXT_AREA, def, List.of(), 0, 0, 0));
    }

    public ParamForm integer(String key, long def, long min, long max) {
        return add(new Field(key, Kind.INTEGER, Long.toString(def), List.of(), min, max, 0));
    }

    public ParamForm number(String key, double def, double min, double max, int decimals) {
        return add(new Field(key, Kind.NUMBER, format(def, decimals), List.of(), min, max, decimals));
    }

    /** A choice among {@code items}; the default must be one of them. */
    public ParamForm choice(String key, List<String> items, String def) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException(key + ": no choices");
        }
        return add(new Field(key, Kind.CHOICE, items.contains(def) ? def : items.get(0), List.copyOf(items), 0, 0, 0));
    }

    public ParamForm checkbox(String key, boolean def) {
        return add(new Field(key, Kind.CHECKBOX, Boolean.toString(def), List.of(), 0, 0, 0));
    }

    private ParamForm add(Field f) {
        if (values.containsKey(f.key())) {
            throw new IllegalArgumentException("duplicate field " + f.key());
        }
        fields.add(f);
        values.put(f.key(), f.defaultValue());
        return this;
    }

    /** Marks fields as rarely used: the dialog puts them behind its "Advanced..." button (macros are unaffected). */
    public ParamForm advanced(String... keys) {
        for (String k : keys) {
            field(k);
            advanced.add(k);
        }
        return this;
    }

    public boolean isAdvanced(String key) {
        return advanced.contains(key);
    }

    /**
     * Lets the choice {@code key} also take an absolute path to an existing file or folder (a model chosen
     * with Browse..., or {@code model=/path/to/file} in a macro), besides its listed items.
     */
    public ParamForm acceptsPath(String key) {
        if (field(key).kind() != Kind.CHOICE) {
            throw new IllegalArgumentException(key + " is not a choice");
        }
        pathChoices.add(key);
        return this;
    }

    /** True when {@link #acceptsPath(String)} was declared for {@code key}. */
    public boolean takesPath(String key) {
        return pathChoices.contains(key);
    }

    /**
     * A remembered value (the last dialog's): taken only when nothing has set the field since it was declared
     * (so a PNG's parameters win over it), and ignored when it is no longer valid.
     */
    public void recall(String key, String value) {
        if (touched.contains(key) || value == null) {
            return;
        }
        try {
            set(key, value);
        } catch (IllegalArgumentException ignored) {
            // e.g. a model that was removed: keep the declared default
        }
        touched.remove(key);
    }

    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    public Field field(String key) {
        for (Field f : fields) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no field " + key);
    }

    /** Sets a default (e.g. a remembered value) without validation errors: an invalid one is ignored. */
    public void preset(String key, String value) {
        try {
            set(key, value);
        } catch (IllegalArgumentException ignored) {
            // keep the declared default
        }
    }

    /** Validates and stores one value; IllegalArgumentException with a message naming the field. */
    public void set(String key, String raw) {
        Field f = field(key);
        String v = raw == null ? "" : raw;
        touched.add(key);
        switch (f.kind()) {
            case TEXT, TEXT_AREA -> values.put(key, v);
            case CHECKBOX -> values.put(key, Boolean.toString(Boolean.parseBoolean(v.trim())));
            case CHOICE -> values.put(key, pathChoices.contains(key) && isExistingAbsolutePath(v.trim()) ? v.trim()
                    : Choices.canonical(key, v, f.items()));
            case INTEGER -> {
                long n;
                try {
                    n = Math.round(Double.parseDouble(v.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must be a whole number (got '" + v + "')");
                }
                range(f, n);
                values.put(key, Long.toString(n));
            }
            case NUMBER -> {
                double n;
                try {
                    n = Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must be a number (got '" + v + "')");
                }
                range(f, n);
                values.put(key, format(n, f.decimals()));
            }
            default -> throw new IllegalStateException(f.kind().toString());
        }
    }

    private static boolean isExistingAbsolutePath(String v) {
        try {
            java.nio.file.Path p = java.nio.file.Path.of(v);
            return p.isAbsolute() && java.nio.file.Files.exists(p);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static void range(Field f, double n) {
        if (!(n >= f.min() && n <= f.max())) {
            throw new IllegalArgumentException(f.key() + " must be between " + format(f.min(), f.decimals()) + " and "
                    + format(f.max(), f.decimals()) + " (got " + format(n, f.decimals()) + ")");
        }
    }

    /**
     * Reads every field from ImageJ macro options ({@code key=value key=[value with spaces] flag});
     * a missing key keeps its default, as ImageJ does, except a checkbox, which is false when absent.
     * Unknown keys are an error (a typo must not silently fall back to a default).
     */
    public void readMacro(String options) {
        Map<String, String> given = MacroOptions.parse(options);
        for (String k : given.keySet()) {
            if (!values.containsKey(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "'; valid keys: " + String.join(", ", values.keySet()));
            }
        }
        for (Field f : fields) {
            String v = given.get(f.key());
            if (f.kind() == Kind.CHECKBOX) {
                set(f.key(), Boolean.toString(given.containsKey(f.key())));
            } else if (v != null) {
                set(f.key(), v);
            }
        }
    }

    public String string(String key) {
        field(key);
        return values.get(key);
    }

    public long integer(String key) {
        return Long.parseLong(string(key));
    }

    public double number(String key) {
        return Double.parseDouble(string(key));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(string(key));
    }

    /** The options string that replays these values (what ImageJ's recorder would write). */
    public String macroOptions() {
        StringBuilder b = new StringBuilder();
        for (Field f : fields) {
            String v = values.get(f.key());
            if (f.kind() == Kind.CHECKBOX) {
                if (Boolean.parseBoolean(v)) {
                    b.append(b.length() == 0 ? "" : " ").append(f.key());
                }
                continue;
            }
            b.append(b.length() == 0 ? "" : " ").append(f.key()).append('=').append(MacroOptions.quote(v));
        }
        return b.toString();
    }

    /** {@code run("Command", "options");} with the string escaped for the macro language. */
    public String macroLine(String command) {
        return "run(\"" + MacroOptions.escape(command) + "\", \"" + MacroOptions.escape(macroOptions()) + "\");";
    }

    static String format(double v, int decimals) {
        if (decimals == 0 && v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%." + Math.max(decimals, 1) + "f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
