package org.ijdiffusion.plugin.ij.gui;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import java.awt.Button;
import java.awt.Component;
import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.io.File;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.imageio.ImageIO;
import org.ijdiffusion.plugin.ij.IjSettings;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;

/**
 * A real ImageJ window (run under Xvfb by GuiTest): opens Plugins > Diffusion > Text to Image, fills
 * the dialog, screenshots it, presses OK and screenshots the result. Args: OUT_DIR MODELS_DIR.
 * Exit code 0 on success, 1 with a message otherwise.
 */
public final class GuiScenario {
    private GuiScenario() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        String models = args[1];
        Path plugins = Files.createTempDirectory("ij-plugins");
        try (JarOutputStream jar = new JarOutputStream(new FileOutputStream(plugins.resolve("IJ_Diffusion_gui.jar").toFile()))) {
            jar.putNextEntry(new JarEntry("plugins.config"));
            jar.write(GuiScenario.class.getResourceAsStream("/plugins.config").readAllBytes());
            jar.closeEntry();
        }
        System.setProperty("plugins.dir", plugins.toString());
        Map<ModelKind, String> folders = new EnumMap<>(ModelKind.class);
        folders.put(ModelKind.CHECKPOINT, models);
        new ImageJ();
        IjSettings.save(new SuiteSettings("", folders, "tiny-sd15.safetensors", 0));
        Thread command = new Thread(() -> IJ.run("Text to Image"), "Run$_gui-test");
        command.start();
        GenericDialog gd = (GenericDialog) waitFor(() -> {
            for (Window w : Window.getWindows()) {
                if (w instanceof GenericDialog g && w.isShowing() && "Text to Image".equals(g.getTitle())) {
                    return g;
                }
            }
            return null;
        });
        EventQueue.invokeAndWait(() -> {
            promptArea(gd).setText("a photo of a cat");
            set(gd, 0, "64"); // width
            set(gd, 1, "64"); // height
            set(gd, 2, "3"); // steps
            set(gd, 4, "42"); // seed
        });
        Thread.sleep(500);
        shot(gd, out.resolve("text-to-image-dialog.png"));
        Button ok = gd.getButtons()[0];
        EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK")));
        ImagePlus result = (ImagePlus) waitFor(() -> {
            ImagePlus imp = WindowManager.getCurrentImage();
            return imp != null && imp.getTitle().endsWith("(seed 42)") && imp.getWindow() != null
                    && imp.getWindow().isShowing() ? imp : null;
        });
        Thread.sleep(500);
        shot(result.getWindow(), out.resolve("text-to-image-result.png"));
        if (result.getWidth() != 64 || result.getHeight() != 64 || result.getBitDepth() != 24) {
            fail("unexpected result " + result);
        }
        if (!result.getInfoProperty().contains("Steps: 3, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, Seed: 42")) {
            fail("no parameters in the Info: " + result.getInfoProperty());
        }
        System.out.println("GUI scenario passed: " + result.getTitle());
        System.exit(0);
    }

    /** The prompt's text area (named by its macro key). */
    static java.awt.TextArea promptArea(java.awt.Container c) {
        for (Component k : c.getComponents()) {
            if (k instanceof java.awt.TextArea a && "prompt".equals(a.getName())) {
                return a;
            }
            if (k instanceof java.awt.Container sub) {
                java.awt.TextArea a = promptArea(sub);
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    private static void set(GenericDialog gd, int numeric, String v) {
        ((TextField) gd.getNumericFields().get(numeric)).setText(v);
    }

    private static void shot(Component c, Path file) throws Exception {
        Rectangle r = new Rectangle(c.getLocationOnScreen(), c.getSize());
        ImageIO.write(new Robot().createScreenCapture(r), "png", file.toFile());
        System.out.println("screenshot " + file);
    }

    private interface Probe {
        Object get() throws Exception;
    }

    private static Object waitFor(Probe p) throws Exception {
        long end = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < end) {
            Object o = p.get();
            if (o != null) {
                return o;
            }
            Thread.sleep(200);
        }
        fail("timed out");
        return null;
    }

    private static void fail(String m) {
        System.err.println("GUI scenario failed: " + m);
        System.exit(1);
    }
}
