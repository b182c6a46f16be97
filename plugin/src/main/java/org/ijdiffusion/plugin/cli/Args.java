package org.ijdiffusion.plugin.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches of one subcommand. */
public final class Args {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code args}; {@code valued} options take a value (also as {@code --name=value}),
     * {@code switches} do not. Anything else is a {@link UsageException}.
     */
    public static Args parse(String command, List<String> args, Set<String> valued, Set<String> switches) {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(name + " needs a value.");
                    }
                    value = args.get(++i);
                }
                a.values.put(name, value);
            } else if (switches.contains(name) && value == null) {
                a.flags.add(name);
            } else {
                throw new UsageException("unknown argument '" + arg + "'. Try: ij-diffusion " + command + " --help");
            }
        }
        return a;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(name + " is required. Try: ij-diffusion " + command + " --help");
        }
        return v;
    }

    public Path path(String name) {
        String v = get(name);
        return v == null ? null : Paths.get(v);
    }
}
