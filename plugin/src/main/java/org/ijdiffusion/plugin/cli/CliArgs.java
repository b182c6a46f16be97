package org.ijdiffusion.plugin.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} arguments, in order. Options that may repeat (ControlNet
 * units) are read in order with {@link #all()}. Every error is a {@link UsageException} whose message
 * is meant for the user.
 */
public final class CliArgs {
    /** A bad command line: printed as one line, exit code 2. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    private final List<Map.Entry<String, String>> all = new ArrayList<>();
    private final Map<String, String> last = new LinkedHashMap<>();

    private CliArgs() {
    }

    /** Parses {@code args}; names in {@code flags} take no value; every name must be in {@code known}. */
    public static CliArgs parse(String[] args, Set<String> known, Set<String> flags) {
        CliArgs a = new CliArgs();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (!s.startsWith("--") || s.length() < 3) {
                throw new UsageException("unexpected argument '" + s + "' (options start with --)");
            }
            String name = s.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name)) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!known.contains(name) && !flags.contains(name)) {
                throw new UsageException("unknown option --" + name + "; known: --" + String.join(", --", known));
            }
            a.all.add(Map.entry(name, value));
            a.last.put(name, value);
        }
        return a;
    }

    public List<Map.Entry<String, String>> all() {
        return all;
    }

    public boolean has(String name) {
        return last.containsKey(name);
    }

    public String string(String name, String dflt) {
        return last.getOrDefault(name, dflt);
    }

    public String required(String name) {
        String v = last.get(name);
        if (v == null) {
            throw new UsageException("missing --" + name);
        }
        return v;
    }

    public int integer(String name, int dflt) {
        String v = last.get(name);
        return v == null ? dflt : parseInt(name, v);
    }

    public long longValue(String name, long dflt) {
        String v = last.get(name);
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
        String v = last.get(name);
        return v == null ? dflt : parseDouble(name, v);
    }

    public Path path(String name) {
        String v = last.get(name);
        return v == null ? null : Paths.get(v);
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
}
