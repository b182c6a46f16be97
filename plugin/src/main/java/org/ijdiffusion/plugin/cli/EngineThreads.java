package org.ijdiffusion.plugin.cli;

import java.util.Map;

/**
 * The PyTorch thread count of a command-line run, decided once before the engine starts. An explicit
 * {@code -Dai.djl.pytorch.num_threads=N} (e.g. in {@code IJD_JAVA_OPTS}) wins; else {@code IJD_THREADS};
 * else, inside a SLURM job, {@code SLURM_CPUS_PER_TASK} (so a task uses the cores it was given, not every
 * core of the node); else PyTorch's default (all cores). A value that is not a positive whole number is
 * refused by name rather than ignored.
 */
final class EngineThreads {
    static final String PROPERTY = "ai.djl.pytorch.num_threads";
    static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() {
    }

    /** Sets the engine's thread properties from {@code env}; returns the count chosen, 0 when left to PyTorch. */
    static int apply(Map<String, String> env) {
        if (System.getProperty(PROPERTY) != null) {
            return Integer.parseInt(System.getProperty(PROPERTY).trim());
        }
        int n = 0;
        for (String name : new String[] {"IJD_THREADS", "SLURM_CPUS_PER_TASK"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                n = parse(name, v.strip());
                break;
            }
        }
        if (n > 0) {
            System.setProperty(PROPERTY, Integer.toString(n));
            if (System.getProperty(INTEROP_PROPERTY) == null) {
                System.setProperty(INTEROP_PROPERTY, "1");
            }
        }
        return n;
    }

    private static int parse(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " must be a positive whole number of threads (got '" + v + "')");
    }
}
