package org.ijdiffusion.plugin.ij.gui;

import ij.IJ;
import ij.gui.GenericDialog;
import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.EventQueue;
import java.awt.Label;
import java.awt.Menu;
import java.awt.MenuBar;
import java.awt.MenuItem;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextArea;
import java.awt.TextComponent;
import java.awt.TextField;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * What a user does in a GUI scenario (run under Xvfb): picks a menu command (the action event a click on
 * the menu item sends), fills a GenericDialog's fields found by their labels (the macro keys), presses OK,
 * takes screenshots. Failures end the scenario's JVM with exit code 1 and a message.
 */
final class GuiRobot {
    private GuiRobot() {
    }

    /** Sends the menu item's action, as a click on Plugins > Diffusion > {@code command} does. */
    static void menu(String command) throws Exception {
        MenuItem item = find(IJ.getInstance().getMenuBar(), command);
        if (item == null) {
            fail("no menu item " + command);
        }
        EventQueue.invokeLater(() -> IJ.getInstance().actionPerformed(
                new ActionEvent(item, ActionEvent.ACTION_PERFORMED, command)));
    }

    private static MenuItem find(MenuBar bar, String label) {
        for (int i = 0; i < bar.getMenuCount(); i++) {
            MenuItem m = find(bar.getMenu(i), label);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static MenuItem find(Menu menu, String label) {
        for (int i = 0; i < menu.getItemCount(); i++) {
            MenuItem it = menu.getItem(i);
            if (it instanceof Menu sub) {
                MenuItem m = find(sub, label);
                if (m != null) {
                    return m;
                }
            } else if (label.equals(it.getLabel())) {
                return it;
            }
        }
        return null;
    }

    /** The showing GenericDialog titled {@code title}. */
    static GenericDialog dialog(String title) throws Exception {
        return (GenericDialog) waitFor("the dialog " + title, () -> {
            for (Window w : Window.getWindows()) {
                if (w instanceof GenericDialog g && w.isShowing() && title.equals(g.getTitle())) {
                    return g;
                }
            }
            return null;
        });
    }

    /**
     * Sets the dialog's fields by macro key ({@code negative_prompt}; the dialog shows it as "negative prompt"):
     * text, text areas and numbers typed, choices selected, checkboxes "true"/"false". Keys the main dialog does
     * not show are set on its Advanced... page: the button pressed, the page "TITLE: advanced" filled and OK'd.
     */
    static void fill(GenericDialog gd, Map<String, String> values) throws Exception {
        Map<String, Component> fields = fields(gd);
        Map<String, String> here = new LinkedHashMap<>();
        Map<String, String> advanced = new LinkedHashMap<>();
        values.forEach((k, v) -> (fields.containsKey(k) ? here : advanced).put(k, v));
        if (!advanced.isEmpty()) {
            Button more = button(gd, "Advanced...");
            if (more == null) {
                fail("the dialog " + gd.getTitle() + " has no field " + advanced.keySet() + " and no Advanced... button"
                        + " (fields: " + fields.keySet() + ")");
            }
            // a click: the button's listener opens the (modal) page on the event thread, so not invokeAndWait
            EventQueue.invokeLater(() -> more.dispatchEvent(new ActionEvent(more, ActionEvent.ACTION_PERFORMED,
                    more.getActionCommand())));
            GenericDialog page = dialog(gd.getTitle() + ": advanced");
            Map<String, Component> more2 = fields(page);
            for (String key : advanced.keySet()) {
                if (!more2.containsKey(key)) {
                    fail("the dialog " + gd.getTitle() + " has no field " + key + " (fields: " + fields.keySet()
                            + "; advanced: " + more2.keySet() + ")");
                }
            }
            set(more2, advanced);
            ok(page);
            waitFor("the advanced page to close", () -> page.isShowing() ? null : true);
        }
        set(fields, here);
    }

    private static void set(Map<String, Component> fields, Map<String, String> values) throws Exception {
        EventQueue.invokeAndWait(() -> values.forEach((key, v) -> {
            Component c = fields.get(key);
            if (c instanceof TextComponent t) {
                t.setText(v);
            } else if (c instanceof Choice ch) {
                ch.select(v);
                if (!v.equals(ch.getSelectedItem())) {
                    fail(key + ": no choice " + v);
                }
            } else if (c instanceof Checkbox cb) {
                cb.setState(Boolean.parseBoolean(v));
            }
        }));
    }

    private static Button button(Container c, String label) {
        for (Component k : c.getComponents()) {
            if (k instanceof Button b && label.equals(b.getLabel())) {
                return b;
            }
            if (k instanceof Container inner) {
                Button b = button(inner, label);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    /** The dialog's input fields by macro key (labels with spaces back to underscores). */
    static Map<String, Component> fields(GenericDialog gd) {
        Map<String, Component> out = new HashMap<>();
        walk(gd, new String[1], out);
        return out;
    }

    private static void walk(Container c, String[] label, Map<String, Component> out) {
        for (Component k : c.getComponents()) {
            if (k instanceof Label l) {
                label[0] = l.getText().strip().replace(' ', '_');
            } else if (k instanceof Checkbox cb) {
                out.put(cb.getLabel().strip().replace(' ', '_'), cb);
            } else if (k instanceof TextArea a && a.getName() != null) {
                out.put(a.getName(), a); // IjDialog names its text areas by their macro keys
                label[0] = null;
            } else if ((k instanceof TextField || k instanceof Choice) && label[0] != null) {
                out.putIfAbsent(label[0], k);
                label[0] = null;
            } else if (k instanceof Container inner) {
                walk(inner, label, out);
            }
        }
    }

    /** Whether ImageJ's thread of the menu command {@code command} (named by it) is still running. */
    static boolean running(String command) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(command) && t.isAlive());
    }

    static void ok(GenericDialog gd) throws Exception {
        Button ok = gd.getButtons()[0];
        EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK")));
    }

    /** What is on screen inside {@code c}. */
    static BufferedImage capture(Component c) throws Exception {
        return new Robot().createScreenCapture(new Rectangle(c.getLocationOnScreen(), c.getSize()));
    }

    static void shot(Component c, Path file) throws Exception {
        ImageIO.write(capture(c), "png", file.toFile());
        System.out.println("screenshot " + file);
    }

    static void screen(Path file) throws Exception {
        ImageIO.write(new Robot().createScreenCapture(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize())), "png",
                file.toFile());
        System.out.println("screenshot " + file);
    }

    interface Probe {
        Object get() throws Exception;
    }

    static Object waitFor(String what, Probe p) throws Exception {
        long end = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < end) {
            Object o = p.get();
            if (o != null) {
                return o;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what);
        return null;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            fail(message);
        }
    }

    static void fail(String m) {
        System.err.println("GUI scenario failed: " + m + "\n" + GuiDump.dump());
        System.exit(1);
    }
}
