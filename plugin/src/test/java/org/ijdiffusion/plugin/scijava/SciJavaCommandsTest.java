package org.ijdiffusion.plugin.scijava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The SciJava commands in a headless scijava-common Context alone (no ImageJ, no display). */
class SciJavaCommandsTest {
    static Context context;
    static CommandService commands;
    static final Path TESTDATA = testdata();

    static Path testdata() {
        String p = System.getProperty("testdata.dir");
        return (p != null && !p.isBlank() ? Paths.get(p) : Paths.get("..", "testdata")).toAbsolutePath();
    }

    @BeforeAll
    static void context() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void dispose() {
        context.dispose();
    }

    private static CommandModule run(Class<? extends org.scijava.command.Command> c, Map<String, Object> inputs)
            throws InterruptedException, ExecutionException {
        return commands.run(c, false, inputs).get();
    }

    @Test
    void commandsAreDiscovered() {
        assertTrue(commands.getCommand(TextToImageCommand.class) != null, "plugin index built by the annotation processor");
        assertEquals("Diffusion: Text to Image", commands.getCommand(TextToImageCommand.class).getLabel());
    }

    @Test
    void textToImageThenImageToImage() throws Exception {
        File model = TESTDATA.resolve("models/tiny-sd15.safetensors").toFile();
        CommandModule m = run(TextToImageCommand.class, Map.of("model", model, "prompt", "a cat", "negative_prompt", "",
                "width", 64, "height", 48, "steps", 3, "cfg_scale", 7.0, "sampler", "Euler a", "seed", 42L, "clip_skip", 1));
        BufferedImage img = (BufferedImage) m.getOutput("image");
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
        assertEquals(42L, m.getOutput("seed_used"));
        assertTrue(((String) m.getOutput("parameters")).startsWith("a cat\nSteps: 3, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, Seed: 42"));

        BufferedImage in = new BufferedImage(60, 44, BufferedImage.TYPE_INT_RGB); // not a multiple of 8
        in.createGraphics().drawImage(ImageIO.read(TESTDATA.resolve("images/bird.png").toFile()), 0, 0, 60, 44, null);
        int before = in.getRGB(3, 3);
        CommandModule i2i = run(ImageToImageCommand.class, Map.of("model", model, "input", in, "prompt", "a bird",
                "negative_prompt", "", "steps", 2, "cfg_scale", 7.0, "sampler", "DDIM", "seed", -1L,
                "denoising_strength", 0.5, "clip_skip", 1));
        BufferedImage out = (BufferedImage) i2i.getOutput("image");
        assertEquals(in.getWidth(), out.getWidth());
        assertEquals(in.getHeight(), out.getHeight());
        assertEquals(before, in.getRGB(3, 3), "the input is not modified");
        long seed = (Long) i2i.getOutput("seed_used");
        assertTrue(seed >= 0, "a random seed is reported");
    }

    @Test
    void preprocessCanny() throws Exception {
        BufferedImage in = ImageIO.read(TESTDATA.resolve("images/bird.png").toFile());
        Map<String, Object> inputs = new java.util.HashMap<>();
        inputs.put("input", in);
        inputs.put("preprocessor", "canny");
        inputs.put("preprocessor_model", null);
        BufferedImage map = (BufferedImage) run(PreprocessCommand.class, inputs).getOutput("map");
        assertEquals(in.getWidth(), map.getWidth());
    }

    @Test
    void inpaintChangesOnlyTheMaskedArea() throws Exception {
        File model = TESTDATA.resolve("models/tiny-sd15-inpaint.safetensors").toFile();
        BufferedImage in = javax.imageio.ImageIO.read(TESTDATA.resolve("golden/inputs/init.png").toFile());
        BufferedImage mask = javax.imageio.ImageIO.read(TESTDATA.resolve("golden/inputs/mask.png").toFile());
        java.util.Map<String, Object> inputs = new java.util.HashMap<>(Map.of("model", model, "input", in, "mask", mask,
                "prompt", "a cat", "negative_prompt", "", "steps", 3, "cfg_scale", 7.0, "sampler", "Euler", "seed", 5L,
                "denoising_strength", 1.0));
        inputs.putAll(Map.of("mask_blur", 0, "inpaint_area", "Whole picture", "padding", 32, "masked_content", "original",
                "working_size", 512));
        CommandModule m = run(InpaintCommand.class, inputs);
        BufferedImage out = (BufferedImage) m.getOutput("image");
        assertEquals(in.getWidth(), out.getWidth());
        int changedInside = 0;
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                boolean masked = (mask.getRGB(x, y) & 0xff) >= 128;
                int a = in.getRGB(x, y) & 0xffffff;
                int b = out.getRGB(x, y) & 0xffffff;
                if (!masked) {
                    assertEquals(a, b, "outside the mask at " + x + "," + y);
                } else if (a != b) {
                    changedInside++;
                }
            }
        }
        assertTrue(changedInside > 0, "the masked area was repainted");
        assertTrue(((String) m.getOutput("parameters")).contains("Inpaint area: Whole picture"));
    }
}
