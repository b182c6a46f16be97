package org.ijdiffusion.plugin.ij;

import ij.Macro;
import ij.gui.GenericDialog;
import org.ijdiffusion.plugin.ij.core.ParamForm;

/**
 * Fills a {@link ParamForm} from a macro (the options of {@code run("Command", "...")}) or, with no
 * macro, from a GenericDialog whose labels are the macro keys (so ImageJ's recorder writes them).
 * Both paths validate through the form, so a bad value gets the same message everywhere.
 */
public final class IjForm {
    private IjForm() {
    }

    /**
     * True when the form holds valid values; false when the user cancelled. A bad value is reported
     * through {@link IjMessages#fail} (in a macro: a macro error).
     */
    public static boolean fill(String title, ParamForm form, String help) {
        String options = Macro.getOptions();
        if (options != null) {
            try {
                form.readMacro(options);
                return true;
            } catch (IllegalArgumentException e) {
                IjMessages.fail(title, e.getMessage());
                return false;
            }
        }
        GenericDialog gd = new GenericDialog(title);
        for (ParamForm.Field f : form.fields()) {
            String v = form.string(f.key());
            switch (f.kind()) {
                case TEXT, TEXT_AREA -> gd.addStringField(f.key(), v, 50);
                case INTEGER -> gd.addNumericField(f.key(), Double.parseDouble(v), 0);
                case NUMBER -> gd.addNumericField(f.key(), Double.parseDouble(v), f.decimals());
                case CHOICE -> gd.addChoice(f.key(), f.items().toArray(new String[0]), v);
                case CHECKBOX -> gd.addCheckbox(f.key(), Boolean.parseBoolean(v));
                default -> throw new IllegalStateException(f.kind().toString());
            }
        }
        if (help != null) {
            gd.addMessage(help);
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return false;
        }
        try {
            for (ParamForm.Field f : form.fields()) {
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
            return true;
        } catch (IllegalArgumentException e) {
            IjMessages.fail(title, e.getMessage());
            return false;
        }
    }
}
