package org.ijdiffusion.plugin.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options and {@code --flag} switches of one subcommand, also as
 * {@code --name=value}. Names are given without the dashes. Options that may repeat (a ControlNet
 * unit's) are read in command-line order with {@link #entries()}. Errors are {@link UsageException}s.
 */
public final class Args {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /** Parses {@code args}; no option may be given twice. */
    public static Args parse(String command, List<String> args, Set<String> valued, Set<String> switches) {
        return parse(command, args, valued, switches, Set.of());
    }

    /**
     * Parses {@code args}; only the options in {@code repeatable} may be given more than once (each
     * {@code --control} unit's options, {@code --lora}); any other repeat is a usage error rather than
     * the last value silently winning. {@code --debug} (stack traces of internal errors, see
     * {@link Main}) is accepted by every command.
     */
    public static Args parse(String command, List<String> args, Set<String> valued, Set<String> switches,
            Set<String> repeatable) {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'. Try: ij-diffusion " + command + " --help");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value.");
                    }
                    value = args.get(++i);
                }
                if (a.values.containsKey(name) && !repeatable.contains(name)) {
                    throw new UsageException("--" + name + " is given twice ('" + a.values.get(name) + "' and '" + value
                            + "'); give it once. Try: ij-diffusion " + command + " --help");
                }
                a.values.put(name, value);
                a.entries.add(Map.entry(name, value));
            } else if (switches.contains(name) && value == null) {
                if (!a.flags.add(name)) {
                    throw new UsageException("--" + name + " is given twice; give it once.");
                }
            } else if (name.equals(Main.DEBUG) && value == null) {
                a.flags.add(name);
            } else {
                throw new UsageException("unknown argument '" + arg + "'. Try: ij-diffusion " + command + " --help");
            }
        }
        return a;
    }

    /** Values for the options not given on the command line (e.g. from {@code --from-png}). */
    public void defaults(Map<String, String> dflt) {
        dflt.forEach(values::putIfAbsent);
    }

    /** Every option with a value, in command-line order (repeats included). */
    public List<Map.Entry<String, String>> entries() {
        return entries;
    }

    /** Whether a switch was given or an option has a value. */
    public boolean has(String name) {
        return flags.contains(name) || values.containsKey(name);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required. Try: ij-diffusion " + command + " --help");
        }
        return v;
    }

    public Path path(String name) {
        String v = get(name);
        return v == null ? null : Paths.get(v);
    }

    public Path requirePath(String name) {
        return Paths.get(require(name));
    }

    public int integer(String name, int dflt) {
        String v = values.get(name);
        return v == null ? dflt : parseInt(name, v);
    }

    /** A whole number of at least {@code min}. */
    public int integer(String name, int dflt, int min) {
        int v = integer(name, dflt);
        if (v < min) {
            throw new UsageException("--" + name + " must be at least " + min + " (got " + v + ")");
        }
        return v;
    }

    public long longValue(String name, long dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number (got '" + v + "')");
        }
    }

    public double number(String name, double dflt) {
        String v = values.get(name);
        return v == null ? dflt : parseDouble(name, v);
    }

    public static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number (got '" + v + "')");
        }
    }

    public static double parseDouble(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number (got '" + v + "')");
        }
    }

    /** "N" or "WxH" as {width, height}. */
    public static int[] size(String name, String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0].trim());
            int h = p.length > 1 ? Integer.parseInt(p[1].trim()) : w;
            if (p.length <= 2 && w > 0 && h > 0) {
                return new int[] {w, h};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be N or WxH (got '" + s + "')");
    }
}
