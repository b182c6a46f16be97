package org.ijdiffusion.plugin.cli.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ijdiffusion.plugin.cli.Args;
import org.ijdiffusion.plugin.cli.Command;
import org.ijdiffusion.plugin.cli.UsageException;
import org.ijdiffusion.plugin.io.OutputFiles;

/** {@code ij-diffusion batch-report DIR}: the shards' reports merged into DIR/report.json, totals printed. */
public final class BatchReportCommand implements Command {
    @Override
    public String name() {
        return "batch-report";
    }

    @Override
    public String summary() {
        return "merge the report-i-of-n.json files of a batch's shards into report.json";
    }

    @Override
    public String usage() {
        return "Usage: ij-diffusion batch-report DIR\n  Merges DIR/report-*-of-*.json into DIR/report.json and prints done,"
                + " skipped, failed, total and the shards missing or unfinished. Exit 0 when all shards are complete"
                + " and nothing failed, else 3.";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.size() != 1 || argv.get(0).startsWith("--")) {
            Args.parse(name(), argv, java.util.Set.of(), java.util.Set.of()); // names a stray option
            throw new UsageException("give the batch's output folder: ij-diffusion batch-report DIR");
        }
        Path dir = Path.of(argv.get(0));
        TreeMap<Integer, JsonObject> shards = new TreeMap<>();
        Integer count = null;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "report-*-of-*.json")) {
            for (Path p : s) {
                JsonObject o = JsonParser.parseString(Files.readString(p)).getAsJsonObject();
                int n = o.get("shards").getAsInt();
                if (count != null && count != n) {
                    throw new UsageException(dir + " holds reports of batches with " + count + " and " + n
                            + " shards: keep one batch per folder");
                }
                count = n;
                shards.put(o.get("shard").getAsInt(), o);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(dir + ": no such folder");
        }
        if (count == null) {
            throw new UsageException("no report-*-of-*.json in " + dir);
        }
        JsonArray done = new JsonArray();
        JsonArray skipped = new JsonArray();
        JsonArray failed = new JsonArray();
        TreeSet<Integer> missing = new TreeSet<>();
        TreeSet<Integer> unfinished = new TreeSet<>();
        int jobs = 0;
        for (int i = 0; i < count; i++) {
            JsonObject o = shards.get(i);
            if (o == null) {
                missing.add(i);
                continue;
            }
            if (!o.get("complete").getAsBoolean()) {
                unfinished.add(i);
            }
            jobs += o.get("jobs").getAsInt();
            o.getAsJsonArray("done").forEach(done::add);
            o.getAsJsonArray("skipped").forEach(skipped::add);
            for (JsonElement f : o.getAsJsonArray("failed")) {
                failed.add(f);
            }
        }
        JsonObject m = new JsonObject();
        m.addProperty("shards", count);
        m.addProperty("jobs", jobs);
        m.addProperty("total", done.size() + skipped.size() + failed.size());
        m.add("done", done);
        m.add("skipped", skipped);
        m.add("failed", failed);
        JsonArray mi = new JsonArray();
        missing.forEach(mi::add);
        m.add("shards_missing", mi);
        JsonArray un = new JsonArray();
        unfinished.forEach(un::add);
        m.add("shards_unfinished", un);
        OutputFiles.writeString(dir.resolve("report.json"), new GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n");
        out.println("done " + done.size() + ", skipped " + skipped.size() + ", failed " + failed.size() + ", total "
                + (done.size() + skipped.size() + failed.size()) + " of " + jobs + " jobs in the reports; shards missing: "
                + (missing.isEmpty() ? "none" : missing) + (unfinished.isEmpty() ? "" : "; unfinished: " + unfinished));
        for (JsonElement f : failed) {
            JsonObject o = f.getAsJsonObject();
            err.println("failed " + o.get("name").getAsString() + ": " + o.get("reason").getAsString());
        }
        return failed.isEmpty() && missing.isEmpty() && unfinished.isEmpty() ? 0 : BatchCommand.SOME_FAILED;
    }
}
