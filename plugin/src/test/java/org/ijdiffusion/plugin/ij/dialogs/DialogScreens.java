package org.ijdiffusion.plugin.ij.dialogs;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import java.awt.Button;
import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.Window;
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
 * Run under Xvfb by DialogScreensTest: opens Text to Image and Inpaint Selection from the menu, checks that each
 * dialog and its OK button lie inside the screen, screenshots the whole screen, cancels. Args: OUT_DIR MODELS_DIR.
 * Prints one "bounds NAME x y w h ok x y w h screen w h" line per dialog; exit 1 with a message on failure.
 */
public final class DialogScreens {
    private DialogScreens() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        Path plugins = Files.createTempDirectory("ij-plugins");
        try (JarOutputStream jar = new JarOutputStream(new FileOutputStream(plugins.resolve("IJ_Diffusion_gui.jar").toFile()))) {
            jar.putNextEntry(new JarEntry("plugins.config"));
            jar.write(DialogScreens.class.getResourceAsStream("/plugins.config").readAllBytes());
            jar.closeEntry();
        }
        System.setProperty("plugins.dir", plugins.toString());
        Map<ModelKind, String> folders = new EnumMap<>(ModelKind.class);
        folders.put(ModelKind.CHECKPOINT, args[1]);
        folders.put(ModelKind.CONTROLNET, args[1]);
        new ImageJ();
        IjSettings.save(new SuiteSettings("", folders, "tiny-sd15-inpaint.safetensors", 0));
        dialog("Text to Image", out.resolve("text-to-image-1366x768.png"));
        ImagePlus img = IJ.createImage("photo", "RGB ramp", 512, 384, 1);
        img.show();
        IJ.makeRectangle(100, 100, 200, 150);
        dialog("Inpaint Selection", out.resolve("inpaint-1366x768.png"));
        System.out.println("dialog screens passed");
        System.exit(0);
    }

    private static void dialog(String command, Path shot) throws Exception {
        Thread t = new Thread(() -> IJ.run(command), "Run$_dialog-screens");
        t.start();
        GenericDialog gd = null;
        for (long end = System.currentTimeMillis() + 120_000; gd == null && System.currentTimeMillis() < end; ) {
            for (Window w : Window.getWindows()) {
                if (w instanceof GenericDialog g && w.isShowing() && command.equals(g.getTitle())) {
                    gd = g;
                }
            }
            Thread.sleep(200);
        }
        if (gd == null) {
            fail(command + ": no dialog");
        }
        Thread.sleep(800);
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        Rectangle d = gd.getBounds();
        Button ok = gd.getButtons()[0];
        Rectangle b = new Rectangle(ok.getLocationOnScreen(), ok.getSize());
        System.out.println("bounds " + command.replace(' ', '_') + " " + d.x + " " + d.y + " " + d.width + " " + d.height
                + " ok " + b.x + " " + b.y + " " + b.width + " " + b.height + " screen " + screen.width + " " + screen.height
                + " okLabel " + ok.getLabel());
        ImageIO.write(new Robot().createScreenCapture(screen), "png", shot.toFile());
        if (!screen.contains(d) || !screen.contains(b)) {
            fail(command + ": dialog " + d + " or OK " + b + " outside the screen " + screen);
        }
        GenericDialog g = gd;
        Button cancel = gd.getButtons()[1];
        EventQueue.invokeAndWait(() -> g.actionPerformed(new java.awt.event.ActionEvent(cancel,
                java.awt.event.ActionEvent.ACTION_PERFORMED, "Cancel")));
        t.join(30_000);
    }

    private static void fail(String m) {
        System.err.println("dialog screens failed: " + m);
        System.exit(1);
    }

}
