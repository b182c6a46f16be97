package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.plugin.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batch-report: the shards' reports merged (counts, failures with reasons, shards missing or unfinished). */
class BatchReportCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int report() {
        return Main.run(new String[] {"batch-report", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void shard(int i, int n, List<String> done, List<String> skipped, List<String[]> failed, boolean complete)
            throws Exception {
        ShardReport r = new ShardReport(new Shard(i, n), done.size() + skipped.size() + failed.size());
        r.done.addAll(done);
        r.skipped.addAll(skipped);
        failed.forEach(f -> r.failed.add(new ShardReport.Failure(f[0], f[1])));
        r.write(ShardReport.defaultPath(dir, r.shard), complete);
    }

    private JsonObject merged() throws Exception {
        return JsonParser.parseString(Files.readString(dir.resolve("report.json"))).getAsJsonObject();
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> l = new ArrayList<>();
        o.getAsJsonArray(key).forEach(e -> l.add(e.getAsString()));
        return l;
    }

    @Test
    void completeShardsMergeIntoCountsAndExit0() throws Exception {
        shard(0, 2, List.of("a", "c"), List.of("e"), List.of(), true);
        shard(1, 2, List.of("b"), List.of("d", "f"), List.of(), true);
        assertEquals(0, report(), err.toString());
        JsonObject m = merged();
        assertEquals(6, m.get("jobs").getAsInt());
        assertEquals(6, m.get("total").getAsInt());
        assertEquals(List.of("a", "c", "b"), strings(m, "done"), "shard order");
        assertEquals(List.of("e", "d", "f"), strings(m, "skipped"));
        assertEquals(0, m.getAsJsonArray("failed").size());
        assertTrue(out.toString().contains("done 3, skipped 3, failed 0, total 6 of 6 jobs"), out.toString());
    }

    @Test
    void failuresWithReasonsAndMissingOrUnfinishedShardsExit3() throws Exception {
        List<String[]> failed = List.<String[]>of(new String[] {"d", "line 4: unknown key \"bogus\""});
        shard(0, 3, List.of("a"), List.of(), failed, true);
        shard(2, 3, List.of("c"), List.of(), List.of(), false); // killed: its last rewrite said not complete
        assertEquals(3, report());
        JsonObject m = merged();
        assertEquals(1, m.getAsJsonArray("failed").size());
        JsonObject f = m.getAsJsonArray("failed").get(0).getAsJsonObject();
        assertEquals("d", f.get("name").getAsString());
        assertEquals("line 4: unknown key \"bogus\"", f.get("reason").getAsString());
        assertEquals("[1]", m.get("shards_missing").toString());
        assertEquals("[2]", m.get("shards_unfinished").toString());
        assertEquals(3, m.get("total").getAsInt());
        assertTrue(out.toString().contains("shards missing: [1]; unfinished: [2]"), out.toString());
        assertTrue(err.toString().contains("failed d: line 4: unknown key \"bogus\""), err.toString());
    }

    @Test
    void reportsOfTwoBatchesInOneFolderOrNoneAreRefused() throws Exception {
        assertEquals(2, report(), "no reports");
        assertTrue(err.toString().contains("no report-*-of-*.json"), err.toString());
        shard(0, 2, List.of("a"), List.of(), List.of(), true);
        shard(0, 3, List.of("a"), List.of(), List.of(), true);
        err.reset();
        assertEquals(2, report());
        assertTrue(err.toString().contains("keep one batch per folder"), err.toString());
    }
}
