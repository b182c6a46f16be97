package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
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
import org.ijdiffusion.diffusion.testutil.GoldenSampler;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The few-step goldens (LCM, TCD, trailing schedules) through {@code ij-diffusion generate}, and TAESD drafts. */
class FewStepCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(List<String> args) {
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(args);
        out.reset();
        err.reset();
        return Main.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The CLI options a golden's job.json maps onto ({@code ddim_trailing} = --sampler ddim --schedule trailing). */
    static List<String> options(GoldenJob g, Path png) throws Exception {
        JsonObject j = g.job;
        GoldenSampler s = GoldenSampler.of(j);
        List<String> a = new ArrayList<>(List.of("--model", g.model(false).toString(), "--prompt",
                j.get("prompt").getAsString(), "--negative", j.get("negative_prompt").getAsString(), "--width",
                j.get("width").getAsString(), "--height", j.get("height").getAsString(), "--steps",
                j.get("steps").getAsString(), "--cfg", j.get("cfg").getAsString(), "--seed", j.get("seed").getAsString(),
                "--sampler", s.kind().cliName(), "--schedule", s.spacing().cliName(), "--out", png.toString()));
        if (s.eta() != null) {
            a.addAll(List.of("--eta", Double.toString(s.eta())));
        }
        return a;
    }

    @ParameterizedTest(name = "{0} through the CLI")
    @ValueSource(strings = {"txt2img_lcm_4", "txt2img_lcm_6_cfg1.5", "txt2img_tcd_4_eta0.3", "txt2img_ddim_trailing_4",
        "txt2img_euler_trailing_8_cfg3.5"})
    void fewStepGoldenWithinTwoLevels(String name) throws Exception {
        GoldenJob g = new GoldenJob(name);
        Path png = dir.resolve(name + ".png");
        assertEquals(0, run(options(g, png)), err());
        BufferedImage ours = ImageIO.read(png.toFile());
        int levels = GenerateCommandTest.levels(ours, g.png());
        System.out.printf("CLI %-36s PNG vs golden: %d levels%n", name, levels);
        assertTrue(levels <= 2, name + ": " + levels + " levels");
        String params = PngFiles.readParameters(png);
        GoldenSampler s = GoldenSampler.of(g.job);
        assertTrue(params.contains("Sampler: " + s.kind().label() + ","), params);
        assertEquals(s.spacing() != org.ijdiffusion.diffusion.sampling.TimestepSpacing.DEFAULT,
                params.contains("Schedule type: SGM Uniform"), params);
        assertFalse(params.contains("Eta"), "the default eta is not written: " + params);
        if (g.job.get("cfg").getAsDouble() <= 1 && !g.job.get("negative_prompt").getAsString().isEmpty()) {
            assertTrue(err().contains("the negative prompt is not used"), err());
        }
    }

    @Test
    void taesdDraftDecodeWritesAPictureOfTheSameSize() throws Exception {
        GoldenJob g = new GoldenJob("txt2img_lcm_4");
        Path vae = dir.resolve("vae.png");
        Path draft = dir.resolve("draft.png");
        assertEquals(0, run(options(g, vae)), err());
        List<String> a = new ArrayList<>(options(g, draft));
        a.addAll(List.of("--vae-decoder", "taesd", "--taesd", TestData.root().resolve("taesd/taesd_decoder.safetensors")
                .toString()));
        assertEquals(0, run(a), err());
        assertTrue(err().contains("Decoding (TAESD draft)"), err());
        BufferedImage v = ImageIO.read(vae.toFile());
        BufferedImage d = ImageIO.read(draft.toFile());
        assertEquals(v.getWidth(), d.getWidth());
        assertEquals(v.getHeight(), d.getHeight());
        assertTrue(GenerateCommandTest.levels(v, d) > 2, "a TAESD draft is not the VAE's picture");
        String params = PngFiles.readParameters(draft);
        assertTrue(params.endsWith(", Decoder: TAESD"), "the draft's parameters say so: " + params);
        assertFalse(PngFiles.readParameters(vae).contains("Decoder"), PngFiles.readParameters(vae));
        // replayed: with --taesd the same draft; without, a warning naming it and the VAE's picture
        String model = g.model(false).toString();
        Path again = dir.resolve("again.png");
        assertEquals(0, run(List.of("--from-png", draft.toString(), "--model", model, "--taesd",
                TestData.root().resolve("taesd").toString(), "--out", again.toString())), err());
        assertFalse(err().contains("not replayed"), err());
        assertEquals(0, GenerateCommandTest.levels(d, ImageIO.read(again.toFile())), "the same draft again");
        Path full = dir.resolve("full.png");
        assertEquals(0, run(List.of("--from-png", draft.toString(), "--model", model, "--out", full.toString())), err());
        assertTrue(err().contains("the PNG is a TAESD draft (Decoder: TAESD): give --taesd FILE"), err());
        assertEquals(0, GenerateCommandTest.levels(v, ImageIO.read(full.toFile())), "without --taesd: the VAE's picture");
    }

    @Test
    void unsupportedCombinationsAreRefusedByName() throws Exception {
        String model = TestData.model("tiny-sd15.safetensors").toString();
        Path png = dir.resolve("never.png");
        String[][] cases = {
            {"--sampler", "euler", "--eta", "0.5"},
            {"--sampler", "tcd", "--eta", "1.5"},
            {"--sampler", "pndm", "--schedule", "trailing"},
            {"--sampler", "lcm", "--schedule", "sgm uniform"},
            {"--sampler", "lcm", "--steps", "51"},
            {"--schedule", "karras"},
            {"--vae-decoder", "taesd"},
            {"--vae-decoder", "tiny"},
            {"--taesd", dir.resolve("taesd_decoder.pth").toString()},
        };
        Files.write(dir.resolve("taesd_decoder.pth"), new byte[] {(byte) 0x80, 2});
        String[] expect = {"eta applies to the DDIM and TCD samplers only", "eta must be between 0 and 1",
            "not available with the PLMS sampler", "not available with the LCM sampler", "at most 50 steps",
            "unknown schedule 'karras'", "needs --taesd", "must be vae or taesd", "pickle"};
        for (int i = 0; i < cases.length; i++) {
            List<String> a = new ArrayList<>(List.of("--model", model, "--prompt", "x", "--width", "64", "--height", "64",
                    "--out", png.toString()));
            a.addAll(Arrays.asList(cases[i]));
            if (!a.contains("--steps")) {
                a.addAll(List.of("--steps", "4")); // given once: a repeated option is refused
            }
            int code = run(a);
            String msg = err().trim();
            assertEquals(2, code, String.join(" ", cases[i]) + " -> " + msg);
            assertFalse(msg.contains("Exception"), msg);
            assertTrue(msg.toLowerCase().contains(expect[i].toLowerCase()), expect[i] + " in: " + msg);
            assertFalse(Files.exists(png));
        }
    }
}
