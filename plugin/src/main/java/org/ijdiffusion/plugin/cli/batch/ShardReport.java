package org.ijdiffusion.plugin.cli.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.plugin.io.OutputFiles;

/** {@code report-<i>-of-<n>.json}: what one shard did; rewritten (atomically) after every job, "complete" at the end. */
final class ShardReport {
    record Failure(String name, String reason) {
    }

    final Shard shard;
    final int jobs;
    final List<String> done = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<Failure> failed = new ArrayList<>();
    double generatingSeconds;
    int modelLoads;

    ShardReport(Shard shard, int jobs) {
        this.shard = shard;
        this.jobs = jobs;
    }

    static Path defaultPath(Path dir, Shard s) {
        return dir.resolve("report-" + s.index() + "-of-" + s.count() + ".json");
    }

    double secondsPerImage() {
        return done.isEmpty() ? 0 : generatingSeconds / done.size();
    }

    void write(Path file, boolean complete) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("shard", shard.index());
        o.addProperty("shards", shard.count());
        o.addProperty("jobs", jobs);
        o.addProperty("complete", complete);
        o.add("done", strings(done));
        o.add("skipped", strings(skipped));
        JsonArray f = new JsonArray();
        for (Failure x : failed) {
            JsonObject e = new JsonObject();
            e.addProperty("name", x.name());
            e.addProperty("reason", x.reason());
            f.add(e);
        }
        o.add("failed", f);
        o.addProperty("seconds_per_image", Math.round(secondsPerImage() * 1000) / 1000.0);
        o.addProperty("model_loads", modelLoads);
        OutputFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n");
    }

    private static JsonArray strings(List<String> l) {
        JsonArray a = new JsonArray();
        l.forEach(a::add);
        return a;
    }
}
