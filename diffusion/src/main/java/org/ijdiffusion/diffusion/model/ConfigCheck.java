package org.ijdiffusion.diffusion.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * Compares what a config file (diffusers {@code config.json} or an LDM yaml section) says with what the
 * weights show or what the engine implements, collecting every disagreement; {@link #throwIfAny()}
 * refuses the model with one message naming each field, its value and what was expected.
 */
final class ConfigCheck {
    private final String where;
    private final Map<String, ?> yaml;
    private final JsonObject json;
    private final List<String> problems = new ArrayList<>();

    private ConfigCheck(String where, Map<String, ?> yaml, JsonObject json) {
        this.where = where;
        this.yaml = yaml;
        this.json = json;
    }

    static ConfigCheck of(String where, JsonObject json) {
        return new ConfigCheck(where, null, json);
    }

    static ConfigCheck of(String where, Map<String, ?> yaml) {
        return new ConfigCheck(where, yaml, null);
    }

    /** The field's value as a plain Java value (Long, Double, String, Boolean, List), or null when absent/null. */
    Object value(String field) {
        if (yaml != null) {
            return yaml.get(field);
        }
        return plain(json.get(field));
    }

    boolean present(String field) {
        return value(field) != null;
    }

    private static Object plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonElement x : (JsonArray) e) {
                out.add(plain(x));
            }
            return out;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean();
            }
            if (p.isNumber()) {
                double d = p.getAsDouble();
                return d == Math.rint(d) && !p.getAsString().contains(".") && !p.getAsString().contains("e")
                        ? (Object) p.getAsLong() : (Object) d;
            }
            return p.getAsString();
        }
        return e.toString();
    }

    /** The field as an integer, or {@code fallback} when absent; a non-integer is a problem. */
    Integer integer(String field, Integer fallback) {
        Object v = value(field);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Long l) {
            return l.intValue();
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return d.intValue();
        }
        problems.add(field + " = " + v + " (expected a whole number)");
        return fallback;
    }

    /** The field as a list of integers; a single integer counts as a list of one; null when absent. */
    List<Integer> integers(String field) {
        Object v = value(field);
        if (v == null) {
            return null;
        }
        List<?> items = v instanceof List<?> l ? l : List.of(v);
        List<Integer> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Long l) {
                out.add(l.intValue());
            } else {
                problems.add(field + " = " + v + " (expected whole numbers)");
                return null;
            }
        }
        return out;
    }

    /** When present, the field must equal {@code actual} (what the weights show). */
    void same(String field, Object actual, String what) {
        Object v = value(field);
        if (v != null && !equal(v, actual)) {
            problems.add(field + " = " + v + " but the weights have " + actual + (what.isEmpty() ? "" : " (" + what + ")"));
        }
    }

    /** When present, the field must equal {@code supported}: the engine implements nothing else. */
    void supports(String field, Object supported) {
        Object v = value(field);
        if (v != null && !equal(v, supported)) {
            problems.add(field + " = " + v + " is not supported (only " + supported + ")");
        }
    }

    /** When present, the field must be null/absent (a feature the engine does not implement). */
    void absent(String field) {
        Object v = value(field);
        if (v != null && !Boolean.FALSE.equals(v)) {
            problems.add(field + " = " + v + " is not supported");
        }
    }

    void problem(String text) {
        problems.add(text);
    }

    static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Math.abs(x.doubleValue() - y.doubleValue()) <= 1e-9 * Math.max(1, Math.abs(y.doubleValue()));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ModelFileException(where + " does not describe a model this engine runs as it says: "
                    + String.join("; ", problems) + ".");
        }
    }
}
