package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.ijdiffusion.diffusion.pipeline.GoldenJob;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ij-diffusion generate} exactly as users and the project's checks call it. */
class GenerateCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(Arrays.asList(args));
        return Main.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Largest 8-bit difference between two images of the same size. */
    static int levels(BufferedImage a, BufferedImage b) {
        int m = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) {
                    m = Math.max(m, Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff)));
                }
            }
        }
        return m;
    }

    private void assertMatchesGolden(String job, Path png) throws Exception {
        BufferedImage ours = ImageIO.read(png.toFile());
        BufferedImage ref = new GoldenJob(job).png();
        int l = levels(ours, ref);
        System.out.printf("CLI %-36s PNG vs golden: %d levels%n", job, l);
        assertTrue(l <= 1, job + ": " + l + " levels");
    }

    @ParameterizedTest(name = "txt2img golden from {0}")
    @ValueSource(strings = {"tiny-sd15.safetensors", "tiny-sd15"})
    void reproducesAGoldenJobAndWritesA1111Parameters(String model) throws Exception {
        Path png = dir.resolve("cat.png");
        int code = run("--model", TestData.model(model).toString(), "--prompt", "a photo of a cat", "--negative",
                "blurry, low quality", "--width", "64", "--height", "64", "--steps", "8", "--cfg", "7.5", "--sampler",
                "euler_a", "--seed", "42", "--out", png.toString());
        assertEquals(0, code, err());
        assertMatchesGolden("txt2img_euler_a", png);
        String params = PngFiles.readParameters(png);
        assertTrue(params.startsWith("a photo of a cat\nNegative prompt: blurry, low quality\nSteps: 8, Sampler: Euler a, "
                + "Schedule type: Uniform, CFG scale: 7.5, Seed: 42, Size: 64x64, Model hash: "), params);
        assertTrue(params.endsWith("Model: tiny-sd15, RNG: CPU"), params);
    }

    @Test
    void img2imgGoldenJob() throws Exception {
        Path png = dir.resolve("i2i.png");
        int code = run("--model", TestData.model("tiny-sd15.safetensors").toString(), "--prompt", "a photo of a cat",
                "--negative", "blurry, low quality", "--width", "64", "--height", "64", "--steps", "10", "--cfg", "7.5",
                "--sampler", "dpmpp_2m", "--seed", "42", "--init", TestData.golden().resolve("inputs/init.png").toString(),
                "--strength", "0.6", "--out", png.toString());
        assertEquals(0, code, err());
        assertMatchesGolden("img2img_dpmpp_2m_s0.6", png);
        assertTrue(PngFiles.readParameters(png).contains("Denoising strength: 0.6"));
    }

    @Test
    void controlNetGoldenJobWithInfotext() throws Exception {
        Path png = dir.resolve("cn.png");
        int code = run("--model", TestData.model("tiny-sd15.safetensors").toString(), "--prompt", "a photo of a cat",
                "--negative", "blurry, low quality", "--width", "64", "--height", "64", "--steps", "8", "--cfg", "7.5",
                "--sampler", "euler", "--seed", "42", "--control", TestData.model("tiny-controlnet").toString(),
                "--control-image", TestData.golden().resolve("inputs/canny.png").toString(), "--out", png.toString());
        assertEquals(0, code, err());
        assertMatchesGolden("controlnet_txt2img_euler", png);
        String params = PngFiles.readParameters(png);
        assertTrue(params.contains("ControlNet 0: \"Module: none, Model: tiny-controlnet ["), params);
        assertTrue(params.contains("Weight: 1, Resize Mode: Crop and Resize, Guidance Start: 0, Guidance End: 1, "
                + "Control Mode: Balanced\""), params);
    }

    /**
     * The 9-channel inpainting golden through the CLI, whole picture without mask blur: inside the mask
     * the reference's pixels, outside it the source's, bit for bit (the paste-back guarantee).
     */
    @Test
    void inpaintGoldenJobInsideTheMaskSourceOutside() throws Exception {
        Path png = dir.resolve("inpaint.png");
        Path init = TestData.golden().resolve("inputs/init.png");
        Path mask = TestData.golden().resolve("inputs/mask.png");
        int code = run("--model", TestData.model("tiny-sd15-inpaint.safetensors").toString(), "--prompt",
                "a photo of a cat", "--negative", "blurry, low quality", "--width", "64", "--height", "64", "--steps",
                "8", "--cfg", "7.5", "--sampler", "euler", "--seed", "42", "--init", init.toString(), "--mask",
                mask.toString(), "--strength", "1.0", "--mask-blur", "0", "--inpaint-area", "whole", "--out", png.toString());
        assertEquals(0, code, err());
        BufferedImage ours = ImageIO.read(png.toFile());
        BufferedImage ref = new GoldenJob("inpaint_9ch_euler_s1.0").png();
        BufferedImage src = ImageIO.read(init.toFile());
        BufferedImage m = ImageIO.read(mask.toFile());
        int inside = 0;
        int worst = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                if ((m.getRGB(x, y) & 0xff) >= 128) {
                    inside++;
                    for (int s = 0; s <= 16; s += 8) {
                        worst = Math.max(worst, Math.abs(((ours.getRGB(x, y) >> s) & 0xff) - ((ref.getRGB(x, y) >> s) & 0xff)));
                    }
                } else {
                    assertEquals(src.getRGB(x, y), ours.getRGB(x, y), "outside the mask at " + x + "," + y);
                }
            }
        }
        System.out.printf("CLI inpaint_9ch_euler_s1.0 inside the mask (%d px) vs golden: %d levels%n", inside, worst);
        assertTrue(inside > 0 && worst <= 1, worst + " levels");
        assertTrue(PngFiles.readParameters(png).contains("Mask blur: 0, Inpaint area: Whole picture"),
                PngFiles.readParameters(png));
    }

    @Test
    void batchWritesOneFilePerImage() throws Exception {
        Path png = dir.resolve("b.png");
        assertEquals(0, run("--model", TestData.model("tiny-sd15.safetensors").toString(), "--prompt", "x", "--width",
                "64", "--height", "64", "--steps", "2", "--seed", "3", "--batch", "2", "--out", png.toString()), err());
        assertTrue(Files.exists(dir.resolve("b-0.png")) && Files.exists(dir.resolve("b-1.png")));
        assertFalse(Files.exists(png));
    }

    @Test
    void badInputIsOneLineAndExitCode2AndWritesNothing() {
        String model = TestData.model("tiny-sd15.safetensors").toString();
        Path png = dir.resolve("never.png");
        String[][] cases = {
            {"--model", model, "--prompt", "x", "--width", "100", "--height", "64", "--out", png.toString()},
            {"--model", model, "--prompt", "x", "--sampler", "heun", "--out", png.toString()},
            {"--model", dir.resolve("missing.safetensors").toString(), "--prompt", "x", "--width", "64", "--height",
                "64", "--out", png.toString()},
            {"--model", model, "--prompt", "x", "--width", "64", "--height", "64", "--init",
                dir.resolve("nope.png").toString(), "--out", png.toString()},
            {"--model", model, "--prompt", "x", "--seed", "-5", "--out", png.toString()},
            {"--model", model, "--out", png.toString()},
            {"--model", model, "--prompt", "x", "--control-weight", "0.5", "--out", png.toString()},
        };
        String[] expect = {"width 100 is not a multiple of 8; use 96 or 104", "unknown sampler", "not found",
            "nope.png", "--seed", "--prompt is required", "must follow the --control"};
        for (int i = 0; i < cases.length; i++) {
            err.reset();
            int code = run(cases[i]);
            String msg = err().trim();
            assertEquals(2, code, String.join(" ", cases[i]) + " -> " + msg);
            assertFalse(msg.contains("\n") || msg.contains("Exception"), msg);
            assertTrue(msg.toLowerCase().contains(expect[i].toLowerCase()), expect[i] + " in: " + msg);
            assertFalse(Files.exists(png));
        }
    }
}
