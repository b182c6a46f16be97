package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Infotext that replays: a batch image's PNG given to --from-png makes that image again. */
class FromPngCommandTest {
    @TempDir
    Path dir;
    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(Arrays.asList(args));
        return Main.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBatchImageReplaysAloneWithItsSeedScheduleAndLora() throws Exception {
        String model = TestData.model("tiny-sd15.safetensors").toString();
        Path lora = TestData.model("tiny-lora.safetensors");
        Path a = dir.resolve("a.png");
        assertEquals(0, run("--model", model, "--prompt", "a [cat:dog:0.5] AND a fox:0.7", "--negative", "blurry",
                "--width", "64", "--height", "64", "--steps", "4", "--cfg", "6", "--sampler", "dpmpp_2m_karras",
                "--seed", "99", "--batch", "2", "--clip-skip", "2", "--lora", lora + ":0.6", "--out", a.toString()), err());
        String second = PngFiles.readParameters(dir.resolve("a-1.png"));
        assertTrue(second.startsWith("a [cat:dog:0.5] AND a fox:0.7 <lora:tiny-lora:0.6>\n"), second);
        assertTrue(second.contains("Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6, Seed: 100, Size: 64x64"), second);
        assertTrue(second.contains("RNG: CPU"), second);
        assertTrue(PngFiles.readParameters(dir.resolve("a-0.png")).contains("Seed: 99,"));

        Path b = dir.resolve("b.png");
        assertEquals(0, run("--from-png", dir.resolve("a-1.png").toString(), "--model", model, "--lora-dir",
                lora.getParent().toString(), "--out", b.toString()), err());
        assertFalse(err().contains("warning"), err());
        String replayed = PngFiles.readParameters(b);
        assertEquals(second.replace(", Batch size: 2", ""), replayed);
        BufferedImage x = ImageIO.read(dir.resolve("a-1.png").toFile());
        BufferedImage y = ImageIO.read(b.toFile());
        int levels = GenerateCommandTest.levels(x, y);
        System.out.println("--from-png replay of batch image 1 alone: max 8-bit level diff " + levels);
        assertTrue(levels <= 1, "levels " + levels);

        // options given on the command line win over the PNG's
        assertEquals(0, run("--from-png", dir.resolve("a-1.png").toString(), "--model", model, "--lora-dir",
                lora.getParent().toString(), "--seed", "5", "--steps", "2", "--out", dir.resolve("c.png").toString()), err());
        String c = PngFiles.readParameters(dir.resolve("c.png"));
        assertTrue(c.contains("Steps: 2,") && c.contains("Seed: 5,"), c);
    }

    @Test
    void whatCannotReplayIsNamed() throws Exception {
        Path png = dir.resolve("a1111.png");
        PngFiles.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "a castle\nNegative prompt: fog\n"
                + "Steps: 3, Sampler: Euler a, Schedule type: Automatic, CFG scale: 5, Seed: 7, Size: 64x64, "
                + "Model hash: 0000000000, Model: other, Denoising strength: 0.5, Hires upscale: 2, "
                + "ControlNet 0: \"Module: canny, Model: x [12345678]\", Version: v1.9.4", png);
        Path o = dir.resolve("o.png");
        assertEquals(0, run("--from-png", png.toString(), "--model", TestData.model("tiny-sd15.safetensors").toString(),
                "--out", o.toString()), err());
        String e = err();
        assertTrue(e.contains("no RNG"), e);
        assertTrue(e.contains("Hires upscale: 2"), e);
        assertTrue(e.contains("ControlNet 0"), e);
        assertTrue(e.contains("Denoising strength: 0.5"), e);
        assertTrue(e.contains("the model other [0000000000]"), e);
        String p = PngFiles.readParameters(o);
        assertTrue(p.startsWith("a castle\nNegative prompt: fog\nSteps: 3, Sampler: Euler a, Schedule type: Uniform, "
                + "CFG scale: 5, Seed: 7, Size: 64x64"), p);
        // an unreplayable schedule type is refused by name (exit 2)
        PngFiles.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
                "x\nSteps: 3, Sampler: Euler, Schedule type: Exponential, Seed: 1", png);
        assertEquals(2, run("--from-png", png.toString(), "--model", TestData.model("tiny-sd15.safetensors").toString(),
                "--out", o.toString()));
        assertTrue(err().contains("Exponential"), err());
    }

    @Test
    void thePrecisionReplaysAndIsRefusedByNameWithoutBf16() throws Exception {
        String model = TestData.model("tiny-sd15.safetensors").toString();
        Path png = dir.resolve("bf16.png");
        PngFiles.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "a castle\n"
                + "Steps: 1, Sampler: Euler, Schedule type: Automatic, CFG scale: 5, Seed: 7, Size: 64x64, RNG: CPU, "
                + "Precision: bf16", png);
        Path o = dir.resolve("o.png");
        String before = System.getProperty(CpuFeatures.PROPERTY);
        System.setProperty(CpuFeatures.PROPERTY, "fpu sse2 avx2 avx512f"); // a CPU without bfloat16
        try {
            assertEquals(2, run("--from-png", png.toString(), "--model", model, "--out", o.toString()));
            assertTrue(err().contains("bf16 needs a CPU with native bfloat16") && err().contains("amx_bf16"), err());
            assertFalse(java.nio.file.Files.exists(o));
            // the command line's --precision wins over the PNG's
            assertEquals(0, run("--from-png", png.toString(), "--model", model, "--precision", "fp32", "--out",
                    o.toString()), err());
            assertFalse(PngFiles.readParameters(o).contains("Precision"), PngFiles.readParameters(o));
        } finally {
            if (before == null) {
                System.clearProperty(CpuFeatures.PROPERTY);
            } else {
                System.setProperty(CpuFeatures.PROPERTY, before);
            }
        }
        if (CpuFeatures.current().hasNativeBf16()) {
            Path b = dir.resolve("b.png");
            assertEquals(0, run("--from-png", png.toString(), "--model", model, "--out", b.toString()), err());
            assertFalse(err().contains("not replayed"), err());
            String p = PngFiles.readParameters(b);
            assertTrue(p.endsWith(", RNG: CPU, Precision: bf16"), p);
        }
    }
}
