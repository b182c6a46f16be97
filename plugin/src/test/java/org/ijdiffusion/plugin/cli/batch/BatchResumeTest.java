package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch JVM SIGKILLed while it makes an image (two complete before), then rerun: no image
 * made twice, none half written or left as a temporary file, the final files equal an uninterrupted run.
 */
class BatchResumeTest {
    @TempDir
    Path dir;

    private static final Path MODEL = Path.of("../testdata/models/tiny-sd15.safetensors").toAbsolutePath();
    private static final int JOBS = 6;

    /**
     * The batch command in a JVM of its own (the java process itself, so destroyForcibly is its SIGKILL);
     * all three runs alike, one PyTorch thread (two threads on a shared 2-core machine crawl).
     */
    private static Process child(Path jobs, Path out, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(List.of("-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.ijdiffusion.plugin.cli.Main", "batch", "--model", MODEL.toString(), "--jobs", jobs.toString(),
                "--out", out.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs the batch to its end; its exit code. */
    private static int batch(Path jobs, Path out, Path log) throws Exception {
        Process p = child(jobs, out, log);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "batch did not end:\n" + Files.readString(log));
        return p.exitValue();
    }

    private static List<String> names(Path d, String suffix, boolean hidden) throws Exception {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(x -> x.getFileName().toString())
                    .filter(n -> n.endsWith(suffix) && n.startsWith(".") == hidden).sorted().toList();
        }
    }

    private static List<String> strings(JsonObject report, String key) {
        List<String> l = new ArrayList<>();
        report.getAsJsonArray(key).forEach(e -> l.add(e.getAsString()));
        return l;
    }

    @Test
    void aKilledBatchResumesWithoutRemakingAnImageAndEndsLikeAnUninterruptedRun() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < JOBS; i++) {
            lines.append("{\"prompt\": \"job ").append(i).append("\", \"seed\": ").append(10 + i)
                    .append(", \"steps\": 8, \"width\": 64, \"height\": 64}\n");
        }
        Path jobs = Files.writeString(dir.resolve("jobs.jsonl"), lines.toString());
        Path killed = dir.resolve("killed");
        Path childLog = dir.resolve("child.log");

        Process p = child(jobs, killed, childLog);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (names(killed, ".png.json", false).size() < 2 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL to the JVM: no shutdown hooks, no delete-on-exit
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String log = Files.readString(childLog);
        assertEquals(137, p.exitValue(), "the child ended before it was killed:\n" + log);
        List<String> recorded = names(killed, ".png.json", false);
        assertTrue(recorded.size() >= 2, "not two images complete before the kill:\n" + log);
        assertTrue(recorded.size() < JOBS, "killed too late to test a resume:\n" + log);
        List<String> stems = recorded.stream().map(n -> n.substring(0, n.length() - ".png.json".length())).toList();
        for (String png : names(killed, ".png", false)) { // what a user sees is whole
            assertNotNull(ImageIO.read(killed.resolve(png).toFile()), png + " is not a whole PNG after the kill");
        }

        // the gap between the image's rename and its record's: the last complete image, with its record
        // back under the pending name, as a kill between the two renames leaves it
        String gap = stems.get(stems.size() - 1);
        Files.move(killed.resolve(gap + ".png.json"), killed.resolve("." + gap + ".png.json.pending"));

        Map<String, Object> keys = new HashMap<>();
        Map<String, Long> mtimes = new HashMap<>();
        for (String s : stems) {
            BasicFileAttributes a = Files.readAttributes(killed.resolve(s + ".png"), BasicFileAttributes.class);
            keys.put(s, a.fileKey());
            mtimes.put(s, a.lastModifiedTime().toMillis());
        }

        Path rerunLog = dir.resolve("rerun.log");
        assertEquals(0, batch(jobs, killed, rerunLog), Files.readString(rerunLog));
        JsonObject report = JsonParser.parseString(Files.readString(killed.resolve("report-0-of-1.json")))
                .getAsJsonObject();
        List<String> skipped = strings(report, "skipped");
        List<String> done = strings(report, "done");
        assertEquals(new TreeSet<>(stems), new TreeSet<>(skipped), "skipped = complete before the kill: " + report);
        assertEquals(JOBS, skipped.size() + done.size(), report.toString());
        for (String s : stems) {
            assertFalse(done.contains(s), s + " made twice");
            BasicFileAttributes a = Files.readAttributes(killed.resolve(s + ".png"), BasicFileAttributes.class);
            assertEquals(keys.get(s), a.fileKey(), s + ".png was replaced");
            assertEquals(mtimes.get(s), a.lastModifiedTime().toMillis(), s + ".png was rewritten");
        }

        Path whole = dir.resolve("whole");
        Path wholeLog = dir.resolve("whole.log");
        assertEquals(0, batch(jobs, whole, wholeLog), Files.readString(wholeLog));
        List<String> pngs = names(killed, ".png", false);
        assertEquals(JOBS, pngs.size(), pngs.toString());
        assertEquals(names(whole, "", false), names(killed, "", false), "the same files");
        for (String png : pngs) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(png)), Files.readAllBytes(killed.resolve(png)), png);
            assertEquals(sha(whole.resolve(png + ".json")), sha(killed.resolve(png + ".json")), png + ".json");
        }
        assertEquals(List.of(), names(killed, "", true), "temporary, staging or pending files left");
    }

    private static String sha(Path record) throws Exception {
        return JsonParser.parseString(Files.readString(record)).getAsJsonObject().get("png_sha256").getAsString();
    }
}
