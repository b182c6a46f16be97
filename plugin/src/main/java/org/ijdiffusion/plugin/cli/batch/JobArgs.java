package org.ijdiffusion.plugin.cli.batch;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ijdiffusion.plugin.cli.GenerateCommand;

/**
 * A job line's keys as a {@code generate} command line: each key is a generate option without the
 * dashes, a list repeats a repeatable option ({@code lora}), {@code control} is a path (one unit, with
 * the {@code control-*} keys beside it) or a list of objects (one per unit, with the unit's keys), a
 * switch is {@code true}. Relative paths resolve against the jobs file's folder. The options come out
 * in one canonical order (sorted, then the LoRAs, then the units), so the same job gives the same
 * command line and hash whatever order its keys were written in.
 */
final class JobArgs {
    /** Keys whose values are files or folders. */
    static final Set<String> PATHS = Set.of("model", "vae", "init", "mask", "lora", "lora-dir", "embeddings-dir",
            "taesd", "from-png", "control", "control-image", "preprocessor-model");
    /** generate options a job may not give, with the reason. */
    static final Map<String, String> REFUSED = Map.of(
            "out", "the output is --out DIR with the job's name (give \"name\")",
            "batch", "one image per job: give several jobs, or a seed list with --grid");

    private JobArgs() {
    }

    /** Whether {@code key} may name a job's value: "name", a generate option or switch, a ControlNet unit's key. */
    static boolean known(String key) {
        return key.equals("name") || GenerateCommand.options().contains(key) || GenerateCommand.switches().contains(key)
                || GenerateCommand.controlOptions().contains(key);
    }

    /** The generate options of one grid point (without --out); throws IllegalArgumentException with the reason. */
    static List<String> of(Map<String, Object> values, Path base, Path defaultModel, boolean grid) {
        Set<String> switches = GenerateCommand.switches();
        Set<String> unitKeys = GenerateCommand.controlOptions();
        TreeMap<String, String> single = new TreeMap<>();
        List<String> loras = new ArrayList<>();
        List<Map<String, Object>> units = new ArrayList<>();
        TreeMap<String, Object> flatUnit = new TreeMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.equals("name")) {
                continue;
            }
            if (REFUSED.containsKey(k)) {
                throw new IllegalArgumentException("key \"" + k + "\" is not for batch jobs: " + REFUSED.get(k));
            }
            if (k.equals("control")) {
                if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?>) {
                    for (Object u : l) {
                        units.add(cast(u));
                    }
                } else if (v instanceof String s) {
                    flatUnit.put("control", s);
                } else {
                    throw new IllegalArgumentException("\"control\" must be a ControlNet file, or a list of units "
                            + "[{\"control\": FILE, \"control-image\": IMAGE, ...}]");
                }
                continue;
            }
            if (unitKeys.contains(k)) {
                flatUnit.put(k, v);
                continue;
            }
            if (!known(k)) {
                throw new IllegalArgumentException("unknown key \"" + k + "\" (keys are generate's long options without"
                        + " the dashes, and \"name\"; see ij-diffusion generate --help)");
            }
            if (v instanceof List<?> l) {
                if (k.equals("lora")) {
                    for (Object o : l) {
                        loras.add(resolve(k, (String) o, base));
                    }
                    continue;
                }
                throw new IllegalArgumentException("\"" + k + "\" is a list"
                        + (Grid.AXES.contains(k) && !grid ? ": give --grid to make one job per value" : "; it takes one value"));
            }
            if (switches.contains(k)) {
                if (switchOn(k, v)) {
                    single.put(k, null);
                }
                continue;
            }
            if (v instanceof Boolean) {
                throw new IllegalArgumentException("\"" + k + "\" needs a value, not true/false");
            }
            String s = (String) v;
            if (k.equals("lora")) {
                loras.add(resolve(k, s, base));
            } else {
                single.put(k, PATHS.contains(k) ? resolve(k, s, base) : s);
            }
        }
        if (!flatUnit.isEmpty()) {
            if (!units.isEmpty()) {
                throw new IllegalArgumentException("give the ControlNet units either as a \"control\" list of objects or"
                        + " as one \"control\" with its control-* keys, not both");
            }
            if (!flatUnit.containsKey("control")) {
                throw new IllegalArgumentException("\"" + flatUnit.firstKey() + "\" needs a \"control\" (the ControlNet file)");
            }
            units.add(new java.util.LinkedHashMap<>(flatUnit));
        }
        if (!single.containsKey("model")) {
            if (defaultModel == null) {
                throw new IllegalArgumentException("no model: give --model or a \"model\" key");
            }
            single.put("model", defaultModel.toString());
        }
        String seed = single.get("seed");
        if (seed == null || seed.trim().equals("-1")) {
            throw new IllegalArgumentException("give each job a fixed \"seed\" (not -1): a rerun must make the same image");
        }
        List<String> args = new ArrayList<>();
        single.forEach((k, v) -> {
            args.add("--" + k);
            if (v != null) {
                args.add(v);
            }
        });
        for (String l : loras) {
            args.add("--lora");
            args.add(l);
        }
        for (Map<String, Object> u : units) {
            args.addAll(unit(u, base, unitKeys));
        }
        return args;
    }

    private static List<String> unit(Map<String, Object> u, Path base, Set<String> unitKeys) {
        Object model = u.get("control");
        if (!(model instanceof String)) {
            throw new IllegalArgumentException("each ControlNet unit needs \"control\": FILE");
        }
        List<String> out = new ArrayList<>(List.of("--control", resolve("control", (String) model, base)));
        TreeMap<String, Object> rest = new TreeMap<>(u);
        rest.remove("control");
        for (Map.Entry<String, Object> e : rest.entrySet()) {
            String k = e.getKey();
            if (!unitKeys.contains(k)) {
                throw new IllegalArgumentException("unknown key \"" + k + "\" in a ControlNet unit (unit keys: "
                        + String.join(", ", new java.util.TreeSet<>(unitKeys)) + ")");
            }
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException("\"" + k + "\" of a ControlNet unit needs one value");
            }
            out.add("--" + k);
            out.add(PATHS.contains(k) ? resolve(k, s, base) : s);
        }
        return out;
    }

    private static boolean switchOn(String k, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("1") || s.equals("yes")) {
            return true;
        }
        if (s.equals("false") || s.equals("0") || s.equals("no") || s.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException("\"" + k + "\" is a switch: give true or false (got '" + v + "')");
    }

    /** A relative path against the jobs file's folder; a LoRA's ":weight" tail stays as it is. */
    static String resolve(String key, String v, Path base) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("\"" + key + "\" is empty");
        }
        Path p = Paths.get(v);
        return p.isAbsolute() || base == null ? v : base.resolve(p).normalize().toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object u) {
        if (!(u instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("\"control\" mixes units and values");
        }
        return (Map<String, Object>) u;
    }
}
