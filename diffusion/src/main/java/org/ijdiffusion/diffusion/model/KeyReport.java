package org.ijdiffusion.diffusion.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Compares components' weights with what their configs require; entries read "label: name". */
final class KeyReport {
    private KeyReport() {
    }

    static List<String> missing(Map<String, Map<String, long[]>> expected, Map<String, WeightSource> actual) {
        List<String> out = new ArrayList<>();
        expected.forEach((label, keys) -> keys.keySet().stream().filter(k -> !actual.get(label).has(k))
                .forEach(k -> out.add(label + ": " + k)));
        return out;
    }

    static List<String> extra(Map<String, Map<String, long[]>> expected, Map<String, WeightSource> actual) {
        List<String> out = new ArrayList<>();
        actual.forEach((label, w) -> w.names().stream().filter(k -> !expected.get(label).containsKey(k))
                .forEach(k -> out.add(label + ": " + k)));
        return out;
    }

    static List<String> mismatched(Map<String, Map<String, long[]>> expected, Map<String, WeightSource> actual) {
        List<String> out = new ArrayList<>();
        expected.forEach((label, keys) -> keys.forEach((k, shape) -> {
            WeightSource w = actual.get(label);
            if (shape != null && w.has(k) && !Arrays.equals(shape, w.shape(k))) {
                out.add(label + ": " + k + " has shape " + Arrays.toString(w.shape(k)) + ", expected "
                        + Arrays.toString(shape));
            }
        }));
        return out;
    }
}
