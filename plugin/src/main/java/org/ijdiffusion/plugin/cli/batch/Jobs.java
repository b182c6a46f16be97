package org.ijdiffusion.plugin.cli.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The jobs of a jobs file: read, grid-expanded, turned into generate command lines and named. */
public final class Jobs {
    private Jobs() {
    }

    /** Every job in order (bad ones carry their error); refuses the batch when two share an output name. */
    public static List<Job> of(List<RawJob> lines, Path base, Path model, boolean grid, OutputNames names) {
        List<Grid.Point> points = Grid.expand(lines, grid);
        List<Job> jobs = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            Grid.Point p = points.get(k);
            RawJob r = p.job();
            String name = OutputNames.baseName(p, lines.size());
            String seed = r.values().get("seed") instanceof String s ? s : null;
            String prompt = r.values().get("prompt") instanceof String s ? s : null;
            String error = r.error();
            List<String> args = List.of();
            String stem = name;
            try {
                stem = names.stem(k, points.size(), name, seed, prompt);
                if (error == null) {
                    args = JobArgs.of(r.values(), base, model, grid);
                }
            } catch (IllegalArgumentException e) {
                error = "line " + r.line() + ": " + e.getMessage();
            }
            jobs.add(new Job(k, r.line(), stem, args, seed, prompt, error));
        }
        OutputNames.checkUnique(jobs);
        return jobs;
    }
}
