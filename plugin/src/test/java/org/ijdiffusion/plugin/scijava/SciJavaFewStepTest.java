package org.ijdiffusion.plugin.scijava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.imageio.ImageIO;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * The few-step parameters of the SciJava commands (sampler LCM / TCD, {@code schedule_type} Automatic /
 * SGM Uniform, {@code eta}) through a headless scijava-common Context, on the tiny checkpoint: they reach
 * the engine (the picture changes), are written in the parameters as A1111 writes them, and a combination
 * the engine does not have is refused by name.
 */
class SciJavaFewStepTest {
    static Context context;
    static CommandService commands;
    static final File MODEL = TestData.model("tiny-sd15.safetensors").toFile();

    @BeforeAll
    static void context() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void dispose() {
        context.dispose();
    }

    private static Map<String, Object> txt2img(String sampler, String schedule, double eta, double cfg, int steps) {
        Map<String, Object> in = new HashMap<>(Map.of("model", MODEL, "prompt", "a cat", "negative_prompt", "",
                "width", 64, "height", 48, "steps", steps, "cfg_scale", cfg, "sampler", sampler, "seed", 7L,
                "clip_skip", 1));
        in.put("schedule_type", schedule);
        in.put("eta", eta);
        return in;
    }

    private static CommandModule run(Class<? extends org.scijava.command.Command> c, Map<String, Object> inputs)
            throws InterruptedException, ExecutionException {
        return commands.run(c, false, inputs).get();
    }

    private static int[] pixels(CommandModule m) {
        BufferedImage img = (BufferedImage) m.getOutput("image");
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void theCommandsOfferTheNewChoicesWithTheImageJ1Keys() {
        for (Class<? extends DiffusionCommand> c : List.of(TextToImageCommand.class, ImageToImageCommand.class,
                InpaintCommand.class)) {
            CommandInfo info = commands.getCommand(c);
            List<String> samplers = info.getInput("sampler", String.class).getChoices();
            assertTrue(samplers.containsAll(List.of("LCM", "TCD")), c + ": " + samplers);
            assertEquals(List.of("Automatic", "SGM Uniform"), info.getInput("schedule_type", String.class).getChoices());
            assertEquals("Automatic", info.getInput("schedule_type", String.class).getDefaultValue());
            assertEquals(-1.0, info.getInput("eta", double.class).getDefaultValue());
        }
    }

    @Test
    void lcmWithoutGuidanceIsWrittenAsA1111Does() throws Exception {
        CommandModule m = run(TextToImageCommand.class, txt2img("LCM", "Automatic", -1, 1.0, 4));
        String p = (String) m.getOutput("parameters");
        assertTrue(p.contains("Steps: 4, Sampler: LCM, Schedule type: Uniform, CFG scale: 1, Seed: 7"), p);
        int[] euler = pixels(run(TextToImageCommand.class, txt2img("Euler", "Automatic", -1, 1.0, 4)));
        assertNotEquals(Arrays.hashCode(euler), Arrays.hashCode(pixels(m)), "LCM is not Euler");
    }

    @Test
    void sgmUniformReachesTheEngineUnderBothNames() throws Exception {
        CommandModule auto = run(TextToImageCommand.class, txt2img("Euler", "Automatic", -1, 3.5, 4));
        CommandModule sgm = run(TextToImageCommand.class, txt2img("Euler", "SGM Uniform", -1, 3.5, 4));
        String p = (String) sgm.getOutput("parameters");
        assertTrue(p.contains("Sampler: Euler, Schedule type: SGM Uniform, CFG scale: 3.5"), p);
        assertTrue(((String) auto.getOutput("parameters")).contains("Schedule type: Uniform"));
        assertTrue(!Arrays.equals(pixels(auto), pixels(sgm)), "the trailing spacing changes the picture");
        // the command line's name for it gives the same picture, bit for bit
        CommandModule trailing = run(TextToImageCommand.class, txt2img("Euler", "trailing", -1, 3.5, 4));
        assertTrue(Arrays.equals(pixels(sgm), pixels(trailing)));
    }

    @Test
    void etaIsTcdsGammaAndDdimsEta() throws Exception {
        CommandModule def = run(TextToImageCommand.class, txt2img("TCD", "Automatic", -1, 1.0, 4));
        CommandModule given03 = run(TextToImageCommand.class, txt2img("TCD", "Automatic", 0.3, 1.0, 4));
        CommandModule given07 = run(TextToImageCommand.class, txt2img("TCD", "Automatic", 0.7, 1.0, 4));
        assertTrue(Arrays.equals(pixels(def), pixels(given03)), "-1 = TCD's default gamma 0.3");
        assertTrue(!Arrays.equals(pixels(def), pixels(given07)), "gamma reaches the sampler");
        String p = (String) given07.getOutput("parameters");
        assertTrue(p.contains("Sampler: TCD") && p.contains("Eta: 0.7"), p);

        BufferedImage in = ImageIO.read(TestData.root().resolve("images/bird.png").toFile());
        Map<String, Object> i2i = new HashMap<>(Map.of("model", MODEL, "input", in, "prompt", "a bird",
                "negative_prompt", "", "steps", 4, "cfg_scale", 7.0, "sampler", "DDIM", "seed", 3L,
                "denoising_strength", 0.6, "clip_skip", 1));
        i2i.put("schedule_type", "SGM Uniform");
        i2i.put("eta", 0.5);
        String q = (String) run(ImageToImageCommand.class, i2i).getOutput("parameters");
        assertTrue(q.contains("Sampler: DDIM, Schedule type: SGM Uniform") && q.contains("Eta DDIM: 0.5"), q);
    }

    @Test
    void combinationsTheEngineDoesNotHaveAreRefusedByName() {
        ExecutionException lcm = assertThrows(ExecutionException.class,
                () -> run(TextToImageCommand.class, txt2img("LCM", "SGM Uniform", -1, 1.0, 4)));
        assertTrue(message(lcm).contains("LCM"), message(lcm));
        ExecutionException eta = assertThrows(ExecutionException.class,
                () -> run(TextToImageCommand.class, txt2img("Euler a", "Automatic", 0.5, 7.0, 4)));
        assertTrue(message(eta).contains("eta applies to the DDIM and TCD samplers only, not to Euler a"), message(eta));
        ExecutionException schedule = assertThrows(ExecutionException.class,
                () -> run(TextToImageCommand.class, txt2img("Euler", "Karras", -1, 7.0, 4)));
        assertTrue(message(schedule).contains("schedule"), message(schedule));
    }

    private static String message(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
