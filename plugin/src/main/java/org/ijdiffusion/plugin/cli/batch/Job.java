package org.ijdiffusion.plugin.cli.batch;

import java.util.List;

/**
 * One job of a batch after grid expansion: its place, its output stem and the generate command line
 * that makes it (without {@code --out}), or why it cannot run.
 *
 * @param index 0-based place after grid expansion (what {@code --shard} slices)
 * @param line 1-based line of the jobs file
 * @param stem output file name without ".png"
 * @param args the generate options (paths resolved against the jobs file's folder), in canonical order
 * @param error why this job cannot run, or null
 */
public record Job(int index, int line, String stem, List<String> args, String seed, String prompt, String error) {
    public Job {
        args = List.copyOf(args);
    }

    public String png() {
        return stem + ".png";
    }

    boolean ok() {
        return error == null;
    }
}
