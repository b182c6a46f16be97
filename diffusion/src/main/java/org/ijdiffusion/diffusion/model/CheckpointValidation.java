package org.ijdiffusion.diffusion.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The one check of a whole model header against what its architecture needs, shared by loading
 * ({@code generate}, the ImageJ commands) and {@code inspect}: every tensor the probed config
 * requires is present, has exactly the shape the network is built with, and is stored as a
 * floating-point type. The first problem is named; {@link #problems} lists them all.
 */
public final class CheckpointValidation {
    private CheckpointValidation() {
    }

    /**
     * Every problem, as "label: internal name (file name) ...": missing tensors, then shapes, then dtypes,
     * component by component.
     */
    public static List<String> problems(Map<String, Map<String, long[]>> expected, Map<String, MappedWeights> actual) {
        List<String> out = new ArrayList<>();
        expected.forEach((label, keys) -> {
            MappedWeights w = actual.get(label);
            keys.forEach((k, shape) -> {
                if (!w.has(k)) {
                    out.add(label + ": tensor '" + k + "' is missing");
                    return;
                }
                MappedWeights.Target t = w.targets().get(k);
                String where = label + ": tensor '" + t.fileName() + "'";
                if (shape != null && !Arrays.equals(shape, w.shape(k))) {
                    out.add(where + " has shape " + Arrays.toString(w.shape(k)) + " where the network needs "
                            + Arrays.toString(shape) + (transposed(shape, w.shape(k)) ? " (transposed?)" : ""));
                    return;
                }
                DType d = w.file().info(t.fileName()).dtype();
                if (!d.isFloating()) {
                    out.add(where + " is stored as " + d + " where a floating-point weight (F32, F16, BF16) belongs");
                }
            });
        });
        return out;
    }

    /**
     * {@link #problems}, and when the header is fine, the tensors whose values are not all finite (read
     * through, which loading does at first use): what {@code inspect} reports.
     */
    public static List<String> problemsWithValues(Map<String, Map<String, long[]>> expected,
            Map<String, MappedWeights> actual) {
        List<String> out = problems(expected, actual);
        if (out.isEmpty()) {
            expected.forEach((label, keys) -> {
                MappedWeights w = actual.get(label);
                for (String k : keys.keySet()) {
                    String file = w.targets().get(k).fileName();
                    if (!w.file().allFinite(file)) {
                        out.add(label + ": tensor '" + file + "' holds NaN or infinite values");
                    }
                }
            });
        }
        return out;
    }

    /** Throws a {@link ModelFileException} naming the first problem of {@link #problems}, if any. */
    public static void require(Path model, Map<String, Map<String, long[]>> expected, Map<String, MappedWeights> actual) {
        List<String> p = problems(expected, actual);
        if (!p.isEmpty()) {
            throw new ModelFileException(model + " cannot be used: " + p.get(0)
                    + (p.size() > 1 ? " (and " + (p.size() - 1) + " more problems; 'ij-diffusion inspect --model "
                    + model + "' lists them)" : "") + ".");
        }
    }

    private static boolean transposed(long[] want, long[] got) {
        return want.length == 2 && got.length == 2 && want[0] == got[1] && want[1] == got[0];
    }

    /** A head count read from a config file must be a positive number. */
    public static Integer positiveHeads(Path config, String field, Integer heads) {
        if (heads != null && heads <= 0) {
            throw new ModelFileException(config + ": " + field + " is " + heads + "; an attention head count must be"
                    + " a positive number. The config file is corrupt.");
        }
        return heads;
    }
}
