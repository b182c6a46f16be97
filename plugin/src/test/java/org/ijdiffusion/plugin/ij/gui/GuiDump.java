package org.ijdiffusion.plugin.ij.gui;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.Frame;
import java.awt.Label;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextComponent;
import java.awt.Toolkit;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * What a failed GUI scenario saw, for its message: a screenshot of the whole (Xvfb) screen, every AWT window
 * (class, title, showing, bounds) with its labels, fields and buttons, ImageJ's images, the Log and the stacks
 * of the threads in ImageJ or our code. Read off the event thread, as a debugging aid only.
 */
final class GuiDump {
    /** Where the failure screenshot goes (set by the scenario). */
    static volatile Path out;

    private GuiDump() {
    }

    static String dump() {
        StringBuilder b = new StringBuilder();
        if (out != null) {
            try {
                Path shot = Files.createDirectories(out).resolve("failure-screen.png");
                ImageIO.write(new Robot().createScreenCapture(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize())),
                        "png", shot.toFile());
                b.append("screenshot ").append(shot.toAbsolutePath()).append('\n');
            } catch (Exception e) {
                b.append("no screenshot: ").append(e).append('\n');
            }
        }
        b.append("AWT windows:\n");
        for (Window w : Window.getWindows()) {
            b.append("  ").append(w.getClass().getName()).append(" \"").append(title(w)).append("\" showing=")
                    .append(w.isShowing()).append(" bounds=").append(bounds(w.getBounds())).append('\n');
            if (w.isShowing()) {
                components(w, "    ", b);
            }
        }
        b.append("ImageJ images:");
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            b.append(" [").append(imp == null ? "?" : imp.getTitle()).append(']');
        }
        b.append("\nLog:\n").append(IJ.getLog() == null ? "(empty)" : IJ.getLog()).append('\n');
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] s = t.getValue();
            boolean ours = false;
            for (StackTraceElement e : s) {
                ours |= e.getClassName().startsWith("ij.") || e.getClassName().startsWith("org.ijdiffusion.");
            }
            if (ours) {
                b.append("thread \"").append(t.getKey().getName()).append("\":\n");
                for (int i = 0; i < Math.min(s.length, 30); i++) {
                    b.append("    at ").append(s[i]).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static void components(Container c, String indent, StringBuilder b) {
        for (Component k : c.getComponents()) {
            String what = k instanceof Label l ? "label \"" + l.getText() + "\""
                    : k instanceof TextComponent t ? "text \"" + t.getText() + "\""
                    : k instanceof Choice ch ? "choice \"" + ch.getSelectedItem() + "\""
                    : k instanceof Checkbox cb ? "checkbox \"" + cb.getLabel() + "\"=" + cb.getState()
                    : k instanceof Button bt ? "button \"" + bt.getLabel() + "\"" : null;
            if (what != null) {
                b.append(indent).append(what).append(k.getName() == null ? "" : " name=" + k.getName())
                        .append(k.isShowing() ? "" : " (hidden)").append('\n');
            } else if (k instanceof Container inner) {
                components(inner, indent, b);
            }
        }
    }

    private static String title(Window w) {
        return w instanceof Frame f ? f.getTitle() : w instanceof Dialog d ? d.getTitle() : "";
    }

    private static String bounds(Rectangle r) {
        return r.x + "," + r.y + " " + r.width + "x" + r.height;
    }
}
