package org.ijdiffusion.plugin.cli.batch;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import com.google.gson.JsonObject;
import org.ijdiffusion.diffusion.io.TempFiles;
import org.ijdiffusion.plugin.cli.GenerateCommand;
import org.ijdiffusion.plugin.io.ResumeRecord;

/**
 * The batch loop: the jobs of one shard in order, each skipped when its resume record says it is
 * complete, else made through generate's own code path with the weights of a {@link ModelCache} and
 * committed with its record ({@link ResumeRecord}); a job that fails is reported and the next one runs.
 */
public final class BatchRunner {
    private final Path dir;
    private final Path reportFile;
    private final boolean quiet;
    private final PrintStream out;
    private final PrintStream err;

    public BatchRunner(Path dir, Path reportFile, boolean quiet, PrintStream out, PrintStream err) {
        this.dir = dir;
        this.reportFile = reportFile;
        this.quiet = quiet;
        this.out = out;
        this.err = err;
    }

    /** Runs the jobs of {@code shard}; returns the number that failed. */
    public int run(List<Job> all, Shard shard) throws java.io.IOException {
        List<Job> mine = new ArrayList<>();
        for (Job j : all) {
            if (shard.holds(j.index())) {
                mine.add(j);
            }
        }
        Files.createDirectories(dir);
        ShardReport report = new ShardReport(shard, mine.size());
        String run = UUID.randomUUID().toString();
        TempFiles.removeLeftovers(reportFile); // of a killed run of this shard
        report.write(reportFile, false);
        try (ModelCache cache = new ModelCache()) {
            for (int k = 0; k < mine.size(); k++) {
                Job j = mine.get(k);
                String tag = String.format(Locale.ROOT, "[%d/%d] %s", k + 1, mine.size(), j.png());
                Path png = dir.resolve(j.png());
                try {
                    if (!j.ok()) {
                        throw new IllegalArgumentException(j.error());
                    }
                    String hash = JobHash.of(j.args());
                    if (ResumeRecord.complete(png, hash)) {
                        report.skipped.add(j.stem());
                        if (!quiet) {
                            out.println(tag + " skipped (complete)");
                        }
                    } else {
                        long t0 = System.nanoTime();
                        double[] seconds = new double[1];
                        ResumeRecord.commit(png, hash, fields(j, run), staged -> {
                            generate(j, staged, cache);
                            seconds[0] = (System.nanoTime() - t0) / 1e9;
                        });
                        double s = seconds[0];
                        report.done.add(j.stem());
                        report.generatingSeconds += s;
                        if (!quiet) {
                            double eta = report.secondsPerImage() * (mine.size() - k - 1);
                            out.printf(Locale.ROOT, "%s %.2f s  ETA %s%n", tag, s, clock(eta));
                        }
                    }
                } catch (Exception e) {
                    String reason = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
                    report.failed.add(new ShardReport.Failure(j.stem(), reason));
                    err.println(tag + " failed: " + reason);
                }
                report.modelLoads = cache.loads();
                report.write(reportFile, false);
            }
            report.modelLoads = cache.loads();
        }
        report.write(reportFile, true);
        out.printf(Locale.ROOT, "shard %s: %d done, %d skipped, %d failed of %d (%.2f s/image); report %s%n", shard,
                report.done.size(), report.skipped.size(), report.failed.size(), mine.size(),
                report.secondsPerImage(), reportFile);
        return report.failed.size();
    }

    /** What the resume record says besides the job hash and the PNG's sha256. */
    private static JsonObject fields(Job j, String run) {
        JsonObject o = new JsonObject();
        o.addProperty("name", j.stem());
        o.addProperty("index", j.index());
        o.addProperty("seed", j.seed());
        o.addProperty("run", run);
        return o;
    }

    /** Generates {@code j} into {@code png} through generate's own code (an IOException for its failures). */
    private void generate(Job j, Path png, ModelCache cache) throws java.io.IOException {
        List<String> args = new ArrayList<>(j.args());
        args.add("--out");
        args.add(png.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            GenerateCommand.run(args, cache, p, p);
        } finally {
            if (!quiet) {
                for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("warning:") || line.startsWith("note:") || line.startsWith("LoRA ")) {
                        err.println(j.png() + ": " + line);
                    }
                }
            }
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
