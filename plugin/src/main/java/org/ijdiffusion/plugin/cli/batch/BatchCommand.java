package org.ijdiffusion.plugin.cli.batch;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.plugin.cli.Args;
import org.ijdiffusion.plugin.cli.Command;
import org.ijdiffusion.plugin.cli.UsageException;

/** {@code ij-diffusion batch}: many generate jobs from a JSON Lines or CSV file, one model load, resumable shards. */
public final class BatchCommand implements Command {
    /** Exit code when some jobs failed (the others ran). */
    public static final int SOME_FAILED = 3;

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String summary() {
        return "many generate jobs from a .jsonl/.csv file: one model load, resumable, --shard for SLURM arrays";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: ij-diffusion batch --model PATH --jobs FILE.jsonl|FILE.csv --out DIR [--grid] [--shard i/n]",
                "    [--name TEMPLATE] [--quiet] [--report FILE]",
                "  Each job line's keys are generate's long options without the dashes (prompt, seed, steps, cfg,",
                "  init, mask, lora [list], control [FILE, or a list of unit objects], ...) plus name (the output stem;",
                "  default the zero-padded line index). Relative paths resolve against the jobs file's folder.",
                "  Each job needs a fixed seed. --grid: list values of prompt, seed, cfg, steps, sampler expand into",
                "  their cross product (prompt outermost). --name: {index} {seed} {name} {prompt} (default {name}).",
                "  --shard i/n (default from SLURM_ARRAY_TASK_ID, _MIN, _STEP and _COUNT):",
                "  the jobs k with k mod n = i. A rerun skips the jobs whose DIR/NAME.png.json record matches.",
                "  Writes DIR/report-i-of-n.json (or --report FILE); exit 0 when every job is done, 3 when some failed.",
                "  See docs/BATCH.md.");
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(name(), argv, Set.of("model", "jobs", "out", "shard", "name", "report"),
                Set.of("grid", "quiet"));
        Path jobsFile = a.requirePath("jobs");
        Path dir = a.requirePath("out");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--out " + dir + " is a file: give a folder");
        }
        if (!Files.isRegularFile(jobsFile)) {
            throw new UsageException("--jobs " + jobsFile + ": no such file");
        }
        Path model = a.path("model");
        Shard shard = Shard.of(a.get("shard"), System.getenv());
        OutputNames names = new OutputNames(a.get("name", OutputNames.DEFAULT));
        Path base = jobsFile.toAbsolutePath().getParent();
        List<Job> jobs = Jobs.of(JobFile.read(jobsFile), base, model == null ? null : model.toAbsolutePath(),
                a.has("grid"), names);
        Path report = a.has("report") ? a.path("report") : ShardReport.defaultPath(dir, shard);
        int failed = new BatchRunner(dir, report, a.has("quiet"), out, err).run(jobs, shard);
        return failed == 0 ? 0 : SOME_FAILED;
    }
}
