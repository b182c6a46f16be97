package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.io.OpenDialog;
import ij.util.Tools;
import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextArea;
import java.awt.TextField;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.plugin.ij.core.ParamForm;

/**
 * The GenericDialog of a {@link ParamForm}: labels are the macro keys, text areas for multi-line fields
 * (prompts), a Browse... button beside a model chooser, and the form's rarely used fields behind an
 * "Advanced..." button (a second dialog), so that the main dialog fits a 1366x768 screen.
 */
final class IjDialog {
    private IjDialog() {
    }

    /** Shows the dialog; false when cancelled. Values go into {@code form} (IllegalArgumentException when invalid). */
    static boolean show(String title, ParamForm form, String help) {
        GenericDialog gd = new GenericDialog(title);
        Map<String, TextArea> areas = new LinkedHashMap<>();
        List<ParamForm.Field> main = new ArrayList<>();
        List<ParamForm.Field> advanced = new ArrayList<>();
        for (ParamForm.Field f : form.fields()) {
            (form.isAdvanced(f.key()) ? advanced : main).add(f);
        }
        Panel textPanel = null;
        for (ParamForm.Field f : main) {
            if (f.kind() == ParamForm.Kind.TEXT_AREA) {
                if (textPanel == null) {
                    textPanel = new Panel(new GridBagLayout());
                    gd.addPanel(textPanel);
                }
                areas.put(f.key(), textArea(textPanel, f.key(), form.string(f.key()), areas.isEmpty() ? 3 : 2));
                continue;
            }
            textPanel = null;
            add(gd, f, form.string(f.key()));
            if (f.key().equals("model")) {
                gd.addButton("Browse...", e -> browse(gd, f.kind()));
            }
        }
        if (!advanced.isEmpty()) {
            gd.addButton("Advanced...", e -> advanced(title, form, advanced));
        }
        if (help != null) {
            gd.addMessage(help);
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return false;
        }
        for (ParamForm.Field f : main) {
            if (f.kind() == ParamForm.Kind.TEXT_AREA) {
                form.set(f.key(), areas.get(f.key()).getText());
            } else {
                read(gd, f, form);
            }
        }
        return true;
    }

    private static TextArea textArea(Panel p, String key, String value, int rows) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridy = p.getComponentCount() / 2;
        c.anchor = GridBagConstraints.NORTHEAST;
        c.insets = new Insets(4, 0, 2, 6);
        p.add(new Label(key.replace('_', ' ')), c);
        TextArea a = new TextArea(value, rows, 52, TextArea.SCROLLBARS_VERTICAL_ONLY);
        a.setName(key);
        c.gridx = 1;
        c.anchor = GridBagConstraints.WEST;
        c.insets = new Insets(2, 0, 2, 0);
        p.add(a, c);
        return a;
    }

    private static void add(GenericDialog gd, ParamForm.Field f, String v) {
        switch (f.kind()) {
            case TEXT, TEXT_AREA -> gd.addStringField(f.key(), v, 40);
            case INTEGER -> gd.addNumericField(f.key(), Double.parseDouble(v), 0);
            case NUMBER -> gd.addNumericField(f.key(), Double.parseDouble(v), f.decimals());
            case CHOICE -> gd.addChoice(f.key(), f.items().toArray(new String[0]), v);
            case CHECKBOX -> gd.addCheckbox(f.key(), Boolean.parseBoolean(v));
            default -> throw new IllegalStateException(f.kind().toString());
        }
    }

    private static void read(GenericDialog gd, ParamForm.Field f, ParamForm form) {
        switch (f.kind()) {
            case TEXT, TEXT_AREA -> form.set(f.key(), gd.getNextString());
            case INTEGER, NUMBER -> {
                double d = gd.getNextNumber();
                if (Double.isNaN(d)) {
                    throw new IllegalArgumentException(f.key() + " must be a number");
                }
                form.set(f.key(), Double.toString(d));
            }
            case CHOICE -> form.set(f.key(), gd.getNextChoice());
            case CHECKBOX -> form.set(f.key(), Boolean.toString(gd.getNextBoolean()));
            default -> throw new IllegalStateException(f.kind().toString());
        }
    }

    /**
     * The Advanced... page: its values go into the form when OK'd (invalid ones are said and not taken). They are
     * read from its fields, not through GenericDialog's getNext...: those record each value to an open Recorder as
     * an option of the command whose main dialog is still open, and the main dialog's own values then clash with
     * them ("model" is found inside "preprocessor_model": a "Duplicate keyword" message); IjForm records the
     * whole form's line instead.
     */
    private static void advanced(String title, ParamForm form, List<ParamForm.Field> fields) {
        GenericDialog gd = new GenericDialog(title + ": advanced");
        for (ParamForm.Field f : fields) {
            add(gd, f, form.string(f.key()));
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        int text = 0;
        int number = 0;
        int choice = 0;
        int box = 0;
        try {
            for (ParamForm.Field f : fields) {
                switch (f.kind()) {
                    case TEXT, TEXT_AREA -> form.set(f.key(), ((TextField) gd.getStringFields().get(text++)).getText());
                    case INTEGER, NUMBER -> {
                        double d = Tools.parseDouble(((TextField) gd.getNumericFields().get(number++)).getText());
                        if (Double.isNaN(d)) {
                            throw new IllegalArgumentException(f.key() + " must be a number");
                        }
                        form.set(f.key(), Double.toString(d));
                    }
                    case CHOICE -> form.set(f.key(), ((Choice) gd.getChoices().get(choice++)).getSelectedItem());
                    case CHECKBOX -> form.set(f.key(), Boolean.toString(((Checkbox) gd.getCheckboxes().get(box++)).getState()));
                    default -> throw new IllegalStateException(f.kind().toString());
                }
            }
        } catch (IllegalArgumentException e) {
            IJ.error(title, e.getMessage());
        }
    }

    /** Browse...: a checkpoint file (or a diffusers folder's model_index.json, taken as its folder) by path. */
    private static void browse(GenericDialog gd, ParamForm.Kind kind) {
        OpenDialog od = new OpenDialog("Choose a checkpoint (.safetensors, or model_index.json of a diffusers folder)");
        if (od.getFileName() == null) {
            return;
        }
        Path p = Path.of(od.getDirectory(), od.getFileName()).toAbsolutePath();
        if (p.getFileName().toString().equals("model_index.json") && Files.isRegularFile(p)) {
            p = p.getParent();
        }
        String path = p.toString();
        if (kind == ParamForm.Kind.CHOICE) {
            Choice c = (Choice) gd.getChoices().get(0); // the model chooser is the dialog's first choice
            boolean listed = false;
            for (int i = 0; i < c.getItemCount(); i++) {
                listed |= c.getItem(i).equals(path);
            }
            if (!listed) {
                c.add(path);
            }
            c.select(path);
        } else {
            ((TextField) gd.getStringFields().get(0)).setText(path);
        }
    }
}
