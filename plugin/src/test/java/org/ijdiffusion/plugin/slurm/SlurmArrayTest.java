package org.ijdiffusion.plugin.slurm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.ijdiffusion.plugin.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/slurm/ij-diffusion-array.sbatch on a real single-node SLURM: 12 jobs of the tiny checkpoint
 * in a 3-task array. Every job's image exists exactly once, each equals (pixel for pixel) the same job
 * run alone with {@code generate}, and the merged report counts the 12. Skipped, with the reason, where
 * SLURM cannot start (see {@link LocalSlurm}).
 */
class SlurmArrayTest {
    static final int JOBS = 12;
    static final int TASKS = 3;
    /** Under load (six builds on two cores) three JVMs of the tiny model take minutes, not seconds. */
    static final Duration TIMEOUT = Duration.ofMinutes(20);

    @TempDir
    Path tmp;

    /** The tasks run with --cpus-per-task=1 (one PyTorch thread); the one-by-one reference runs alike. */
    @BeforeAll
    static void oneThreadLikeEachTask() {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    static Path repo() {
        String p = System.getProperty("testdata.dir");
        Path testdata = (p != null && !p.isBlank() ? Paths.get(p) : Paths.get("..", "testdata")).toAbsolutePath();
        return testdata.getParent();
    }

    /** The 12 jobs: txt2img with several prompts, samplers, sizes, cfg and seeds, and two img2img. */
    static List<Map<String, Object>> jobs(Path init) {
        String[] prompts = {"a lighthouse at dusk", "a red bicycle, (studio photo:1.2)", "moss on a stone", "an owl"};
        String[] samplers = {"euler_a", "euler", "dpmpp_2m", "ddim"};
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (int k = 0; k < JOBS; k++) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", String.format("job-%02d", k));
            j.put("prompt", prompts[k % prompts.length]);
            if (k % 3 == 1) {
                j.put("negative", "blurry");
            }
            j.put("width", k % 2 == 0 ? 64 : 48);
            j.put("height", 64);
            j.put("steps", 2 + k % 2);
            j.put("cfg", k % 4 == 3 ? 5.5 : 7);
            j.put("sampler", samplers[k % samplers.length]);
            j.put("seed", 1000 + 37 * k);
            if (k == 5 || k == 10) {
                j.put("init", init.toString());
                j.put("strength", 0.6);
                j.put("width", 64);
            }
            jobs.add(j);
        }
        return jobs;
    }

    @Test
    void anArrayOfThreeTasksMakesEveryImageOnceAndEqualToGenerateAlone() throws Exception {
        Path repo = repo();
        Path model = repo.resolve("testdata/models/tiny-sd15.safetensors");
        Path init = tmp.resolve("init.png");
        ImageIO.write(gradient(64, 64), "png", init.toFile());
        List<Map<String, Object>> jobs = jobs(init);
        Path jobFile = tmp.resolve("jobs.jsonl");
        Files.writeString(jobFile, String.join("\n", jobs.stream().map(SlurmArrayTest::json).toList()) + "\n");
        Path out = tmp.resolve("out");
        Path logs = tmp.resolve("logs");
        Files.createDirectories(logs);

        try (LocalSlurm slurm = LocalSlurm.start(repo, tmp.resolve("slurm"))) {
            Map<String, String> env = Map.of(
                    "IJD", repo.resolve("bin/ij-diffusion").toString(),
                    // compiled classes and dependency jars of this build (mvn test does not package)
                    "IJD_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "IJD_JAVA_OPTS", "-Xmx2g");
            String id = slurm.client(env, "sbatch", "--parsable", "--array=0-" + (TASKS - 1), "--cpus-per-task=1",
                    "--mem=3G", "--time=30", "-D", tmp.toString(), "-o", logs.resolve("task-%a.log").toString(),
                    repo.resolve("examples/slurm/ij-diffusion-array.sbatch").toString(), model.toString(),
                    jobFile.toString(), out.toString()).strip();
            boolean ended = slurm.await(id, TIMEOUT);
            String taskLogs = taskLogs(logs);
            assertTrue(ended, "the array did not end within " + TIMEOUT + "\n" + taskLogs + slurm.logs());
            for (int t = 0; t < TASKS; t++) {
                assertTrue(taskLogs.contains("task " + t + " exit 0"), "task " + t + " did not end with exit 0:\n"
                        + taskLogs + slurm.logs());
            }
        }

        // every job's image exactly once, nothing half-written left beside them
        TreeSet<String> pngs = new TreeSet<>();
        TreeSet<String> others = new TreeSet<>();
        try (Stream<Path> files = Files.list(out)) {
            files.map(p -> p.getFileName().toString()).forEach(n -> (n.endsWith(".png") ? pngs : others).add(n));
        }
        TreeSet<String> expected = new TreeSet<>();
        jobs.forEach(j -> expected.add(j.get("name") + ".png"));
        assertEquals(expected, pngs, "one image per job");
        for (String n : others) {
            assertTrue(n.endsWith(".png.json") || n.matches("report-\\d+-of-" + TASKS + "\\.json"),
                    "unexpected file in the output folder: " + n);
        }
        assertEquals(TASKS, others.stream().filter(n -> n.startsWith("report-")).count(), "one report per shard: "
                + others);

        // each image equals the same job run alone with generate
        Path ref = tmp.resolve("ref");
        Files.createDirectories(ref);
        for (Map<String, Object> j : jobs) {
            Path r = ref.resolve(j.get("name") + ".png");
            List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--out", r.toString()));
            j.forEach((k, v) -> {
                if (!k.equals("name")) {
                    args.add("--" + k);
                    args.add(v.toString());
                }
            });
            assertEquals(0, cli(args), "generate " + args);
            assertSamePixels(r, out.resolve(j.get("name") + ".png"));
        }

        // the merged report counts the 12
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"batch-report", out.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8), System.err));
        String report = Files.readString(out.resolve("report.json"));
        BatchReports.assertCounts(report, JOBS, printed.toString(StandardCharsets.UTF_8));
    }

    private static int cli(List<String> args) {
        return Main.run(args.toArray(new String[0]), System.out, System.err);
    }

    static void assertSamePixels(Path expected, Path actual) throws Exception {
        BufferedImage a = ImageIO.read(expected.toFile());
        BufferedImage b = ImageIO.read(actual.toFile());
        assertEquals(a.getWidth() + "x" + a.getHeight(), b.getWidth() + "x" + b.getHeight(), actual.toString());
        assertArrayEquals(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()),
                actual.getFileName() + " differs from the same job run alone with generate");
    }

    static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x + y) * 2));
            }
        }
        return img;
    }

    /** One job as a JSON Lines record (strings escaped, numbers as they are). */
    static String json(Map<String, Object> job) {
        StringBuilder b = new StringBuilder("{");
        job.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append('"').append(k).append("\": ");
            if (v instanceof Number) {
                b.append(v);
            } else {
                b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return b.append('}').toString();
    }

    private static String taskLogs(Path logs) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path p : files.sorted().toList()) {
                b.append("--- ").append(p.getFileName()).append('\n').append(Files.readString(p)).append('\n');
            }
        }
        return b.toString();
    }

    static String path(Path p) {
        return p.toString().replace(File.separatorChar, '/');
    }
}
