package org.ijdiffusion.plugin.ij.gui;

import static org.ijdiffusion.plugin.ij.gui.GuiRobot.check;
import static org.ijdiffusion.plugin.ij.gui.GuiRobot.fail;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.ijdiffusion.plugin.ij.IjSettings;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.PreviewSettings;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;

/**
 * A real ImageJ under Xvfb (run by PreviewGuiTest), with the macro Recorder open, as a user works it:
 * Diffusion Settings (TAESD folder, preview every 2 steps, keep the preview) from its dialog, the recorded
 * line replayed; Text to Image with LCM (TAESD previews, kept after the run); Text to Image with Euler and
 * SGM Uniform (latent approximation previews every step, closed after the run); Image to Image stopped
 * with Esc at step 3 (no result, source unchanged, no file written, preview closed although kept ones
 * are asked for). What the Recorder wrote is run back as a macro ({@link RecordedReplay}). Screenshots go to
 * OUT_DIR. Args: OUT_DIR TESTDATA_DIR. Exit code 0 on success.
 */
public final class PreviewGuiScenario {
    /** The pixels' hash of each picture made from the dialog, by title. */
    private static final Map<String, Integer> RESULTS = new LinkedHashMap<>();

    private PreviewGuiScenario() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        GuiDump.out = out;
        Files.deleteIfExists(out.resolve("failure-screen.png")); // a past failure's
        Path testdata = Path.of(args[1]);
        Path models = testdata.resolve("models");
        Path taesd = testdata.resolve("taesd");
        Path plugins = Files.createTempDirectory("ij-plugins");
        try (JarOutputStream jar = new JarOutputStream(new FileOutputStream(plugins.resolve("IJ_Diffusion_gui.jar").toFile()))) {
            jar.putNextEntry(new JarEntry("plugins.config"));
            jar.write(PreviewGuiScenario.class.getResourceAsStream("/plugins.config").readAllBytes());
            jar.closeEntry();
        }
        System.setProperty("plugins.dir", plugins.toString());
        Map<ModelKind, String> folders = new EnumMap<>(ModelKind.class);
        folders.put(ModelKind.CHECKPOINT, models.toString());
        new ImageJ();
        IjSettings.save(new SuiteSettings("", folders, "tiny-sd15.safetensors", 0));
        IjSettings.save(PreviewSettings.DEFAULTS);
        new Recorder(); // records what the dialogs send, as Plugins > Macros > Record... does
        IJ.log("PreviewGuiScenario"); // the Log opens now, below where image windows open, as the Recorder is moved
        GuiRobot.waitFor("the Log window", () -> WindowManager.getWindow("Log"));
        java.awt.EventQueue.invokeAndWait(() -> {
            WindowManager.getWindow("Recorder").setLocation(0, 700);
            WindowManager.getWindow("Log").setLocation(640, 700);
        });

        String settingsLine = settingsFromTheDialog(taesd);
        replaySettings(settingsLine, models, taesd);
        PreviewWatch taesdRun = generate(out, "taesd", Map.of("prompt", "a photo of a cat", "width", "128", "height", "128",
                "steps", "8", "cfg_scale", "1", "sampler", "LCM", "seed", "42"), "Sampler: LCM, Schedule type: Uniform");
        check(taesdRun.steps.equals(java.util.List.of(2, 4, 6)), "preview every 2 of 8 steps: " + taesdRun);
        check(taesdRun.width == 128 && taesdRun.height == 128, "TAESD previews are image-sized: " + taesdRun);
        check(taesdRun.latentGridResidual().stream().allMatch(r -> r > 4),
                "TAESD previews have detail finer than the latent grid: " + taesdRun.latentGridResidual());
        ImagePlus kept = WindowManager.getImage("Text to Image (last preview)");
        check(kept != null && kept.getWindow() != null && kept.getWindow().isShowing(),
                "keep_preview: the last preview stays open after the run (" + taesdRun + ")");
        check(taesdRun.closed == 0, "the kept preview was not closed: " + taesdRun);
        GuiRobot.screen(out.resolve("preview-kept.png"));
        closeAll();

        // the latent approximation every step, not kept
        IjSettings.save(new SuiteSettings("", folders, "tiny-sd15.safetensors", 0));
        IjSettings.save(new PreviewSettings(1, false));
        PreviewWatch approx = generate(out, "approximation", Map.of("prompt", "a red house", "width", "128", "height",
                "128", "steps", "6", "cfg_scale", "3.5", "sampler", "Euler", "schedule_type", "SGM Uniform", "seed", "7"),
                "Sampler: Euler, Schedule type: SGM Uniform, CFG scale: 3.5");
        check(approx.steps.equals(java.util.List.of(1, 2, 3, 4, 5)), "preview every step: " + approx);
        check(approx.width == 128 && approx.height == 128, "the approximation is shown at the picture's size: " + approx);
        check(approx.latentGridResidual().stream().allMatch(r -> r < 1),
                "each approximation preview is a latent-sized (1/8) picture scaled up: " + approx.latentGridResidual());
        check(approx.closed == 1 && PreviewWatch.openPreviews() == 0, "the preview closes after the run: " + approx);
        closeAll();

        String recorded = ((Recorder) WindowManager.getWindow("Recorder")).getText();
        check(recorded.contains("steps=8 cfg_scale=1 sampler=LCM seed=42 schedule_type=Automatic eta=-1"),
                "the Text to Image dialog is recorded with sampler=LCM:\n" + recorded);
        check(recorded.contains("sampler=Euler seed=7 schedule_type=[SGM Uniform] eta=-1"),
                "the Text to Image dialog is recorded with schedule_type=[SGM Uniform]:\n" + recorded);

        RecordedReplay.run(recorded, RESULTS);
        IjSettings.save(new SuiteSettings("", folders, "tiny-sd15.safetensors", 0)); // the replay set the TAESD folder

        IjSettings.save(new PreviewSettings(1, true)); // even a kept preview goes when the run is stopped
        new CancelRun(out, testdata).run();
        System.out.println("recorded:\n" + recorded);
        System.out.println("GUI preview scenario passed");
        System.exit(0);
    }

    /** Diffusion Settings from its dialog; returns the line the Recorder wrote. */
    private static String settingsFromTheDialog(Path taesd) throws Exception {
        GuiRobot.menu("Diffusion Settings");
        GenericDialog gd = GuiRobot.dialog("Diffusion Settings");
        GuiRobot.fill(gd, Map.of("taesd", taesd.toString(), PreviewSettings.EVERY, "2", PreviewSettings.KEEP, "true"));
        GuiRobot.ok(gd);
        String line = (String) GuiRobot.waitFor("the recorded Diffusion Settings line", () -> {
            for (String l : ((Recorder) WindowManager.getWindow("Recorder")).getText().split("\n")) {
                if (l.startsWith("run(\"Diffusion Settings\"")) {
                    return l;
                }
            }
            return null;
        });
        // the line is recorded when the dialog is OK'd, the settings are saved after it
        GuiRobot.waitFor("Diffusion Settings to finish", () -> GuiRobot.running("Diffusion Settings") ? null : true);
        check(line.contains(" taesd=" + taesd + " ") && line.contains(" preview_every=2 ") && line.contains(" keep_preview"),
                "recorded: " + line);
        check(IjSettings.preview().equals(new PreviewSettings(2, true)), "saved: " + IjSettings.preview());
        System.out.println("recorded: " + line);
        return line;
    }

    /** Other values, then the recorded line as a macro: the dialog's values are back. */
    private static void replaySettings(String line, Path models, Path taesd) {
        Map<ModelKind, String> folders = new EnumMap<>(ModelKind.class);
        folders.put(ModelKind.CHECKPOINT, models.toString());
        IjSettings.save(new SuiteSettings("", folders, "tiny-sd15.safetensors", 0));
        IjSettings.save(new PreviewSettings(5, false));
        IJ.runMacro(line);
        check(IjSettings.preview().equals(new PreviewSettings(2, true)), "replayed: " + IjSettings.preview());
        check(IjSettings.load().folder(ModelKind.TAESD).equals(taesd.toString()), "replayed taesd: "
                + Prefs.get(SuiteSettings.PREFIX + "taesd", "?"));
    }

    /** Text to Image from the menu with {@code values}; checks one preview window, changing at every step. */
    private static PreviewWatch generate(Path out, String name, Map<String, String> values, String infotext)
            throws Exception {
        int[] shotAt = {0};
        PreviewWatch watch = new PreviewWatch();
        watch.onStep = step -> {
            if (shotAt[0]++ == 1) {
                try {
                    GuiRobot.screen(out.resolve("preview-" + name + "-during-run.png"));
                    for (ImagePlus p : PreviewWatch.previews()) { // no window manager under Xvfb: the title is said here
                        java.awt.Rectangle b = p.getWindow().getBounds();
                        System.out.println("preview window \"" + p.getWindow().getTitle() + "\" at " + b.x + "," + b.y
                                + " " + b.width + "x" + b.height + ", image " + p.getWidth() + "x" + p.getHeight());
                        GuiRobot.shot(p.getWindow(), out.resolve("preview-" + name + "-window-during-run.png"));
                    }
                } catch (Exception e) {
                    fail("screenshot: " + e);
                }
            }
        };
        GuiRobot.menu("Text to Image");
        GenericDialog gd = GuiRobot.dialog("Text to Image");
        GuiRobot.fill(gd, new LinkedHashMap<>(values));
        GuiRobot.ok(gd);
        String title = values.get("prompt") + " (seed " + values.get("seed") + ")";
        ImagePlus result = (ImagePlus) GuiRobot.waitFor(title, () -> {
            ImagePlus imp = WindowManager.getImage(title);
            return imp != null && imp.getWindow() != null && imp.getWindow().isShowing() ? imp : null;
        });
        Thread.sleep(500);
        watch.close();
        System.out.println(name + ": " + watch + ", residual to the latent grid " + watch.latentGridResidual());
        check(watch.opened == 1 && watch.windows.size() == 1 && watch.maxOpen == 1,
                "one preview window, updated in place: " + watch);
        check(watch.distinct(watch.pixelHashes) == watch.steps.size(), "the preview's pixels change every time: " + watch);
        check(showsUpdatesInOrder(watch.shownSteps()), "the screen shows the preview's steps, one after the other: "
                + watch);
        String info = result.getInfoProperty();
        check(info != null && info.contains(infotext), "the Info holds '" + infotext + "': " + info);
        RESULTS.put(title, java.util.Arrays.hashCode((int[]) result.getProcessor().getPixels()));
        return watch;
    }

    /**
     * At least two different preview steps were seen on the screen, in increasing order, and nothing else after the
     * first one (before it: the canvas before its first paint).
     */
    static boolean showsUpdatesInOrder(java.util.List<Integer> shown) {
        int i = 0;
        while (i < shown.size() && shown.get(i) < 0) {
            i++;
        }
        int seen = 0;
        for (int last = -1; i < shown.size(); i++) {
            if (shown.get(i) <= last) {
                return false;
            }
            last = shown.get(i);
            seen++;
        }
        return seen >= 2;
    }

    static void closeAll() {
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp != null) {
                imp.changes = false;
                imp.close();
            }
        }
    }
}
