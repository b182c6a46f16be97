package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ijdiffusion.plugin.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ij-diffusion batch} on the tiny model: same pixels as generate, resume, a bad job skipped. */
class BatchCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static final Path MODEL = Path.of("../testdata/models/tiny-sd15.safetensors").toAbsolutePath();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage i = ImageIO.read(png.toFile());
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    @Test
    void batchEqualsGenerateResumesAndSkipsABadJob() throws Exception {
        Path jobs = dir.resolve("jobs.jsonl");
        Files.writeString(jobs, String.join("\n",
                "{\"prompt\": \"a cat\", \"seed\": 7, \"steps\": 3, \"width\": 64, \"height\": 64, \"name\": \"cat\"}",
                "{\"prompt\": \"a dog\", \"seed\": 8, \"steps\": 3, \"width\": 64, \"height\": 64, \"bogus\": 1}",
                "{\"prompt\": [\"a\", \"b\"], \"seed\": [1, 2], \"steps\": 2, \"width\": 64, \"height\": 64}", ""));
        Path outDir = dir.resolve("out");
        int code = run("batch", "--model", MODEL.toString(), "--jobs", jobs.toString(), "--out", outDir.toString(),
                "--grid");
        assertEquals(3, code, err.toString());
        assertTrue(err.toString().contains("unknown key \"bogus\""), err.toString());
        for (String n : new String[] {"cat", "0002-0", "0002-1", "0002-2", "0002-3"}) {
            assertTrue(Files.isRegularFile(outDir.resolve(n + ".png.json")), n);
        }
        String report = Files.readString(outDir.resolve("report-0-of-1.json"));
        assertTrue(report.contains("\"model_loads\": 1"), report);

        Path single = dir.resolve("single.png");
        assertEquals(0, run("generate", "--model", MODEL.toString(), "--prompt", "a cat", "--seed", "7", "--steps", "3",
                "--width", "64", "--height", "64", "--out", single.toString()), err.toString());
        assertArrayEquals(pixels(single), pixels(outDir.resolve("cat.png")));
        Path grid = dir.resolve("grid.png"); // point 1 of prompt [a, b] x seed [1, 2]: prompt a, seed 2
        assertEquals(0, run("generate", "--model", MODEL.toString(), "--prompt", "a", "--seed", "2", "--steps", "2",
                "--width", "64", "--height", "64", "--out", grid.toString()), err.toString());
        assertArrayEquals(pixels(grid), pixels(outDir.resolve("0002-1.png")));

        String side = Files.readString(outDir.resolve("cat.png.json"));
        out.reset();
        assertEquals(3, run("batch", "--model", MODEL.toString(), "--jobs", jobs.toString(), "--out", outDir.toString(),
                "--grid"));
        assertEquals(side, Files.readString(outDir.resolve("cat.png.json")), "a complete job is not made again");
        assertTrue(out.toString().contains("5 skipped"), out.toString());
    }
}
