package org.ijdiffusion.plugin.ij;

import ij.Macro;
import ij.Prefs;
import ij.plugin.frame.Recorder;
import java.util.Locale;
import org.ijdiffusion.plugin.ij.core.ParamForm;

/**
 * Fills a {@link ParamForm} from a macro (the options of {@code run("Command", "...")}) or, with no
 * macro, from a dialog ({@link IjDialog}) that starts from the values of the command's last OK (kept in
 * ImageJ's Prefs). A macro never sees remembered values: a key it leaves out takes the documented
 * default, as with ImageJ's own commands. Both paths validate through the form, so a bad value gets the
 * same message everywhere; the recorder gets the form's own macro line, one key per field.
 */
public final class IjForm {
    /** Prefs keys of remembered dialog values: {@code ijdiffusion.dialog.<command>.<key>}. */
    static final String PREFS = "ijdiffusion.dialog.";

    private IjForm() {
    }

    /** As {@link #fill(String, ParamForm, String, boolean)}, remembering the values. */
    public static boolean fill(String title, ParamForm form, String help) {
        return fill(title, form, help, true);
    }

    /**
     * True when the form holds valid values; false when the user cancelled. A bad value is reported
     * through {@link IjMessages#fail} (in a macro: a macro error). {@code remember}: start the dialog from
     * the last OK's values and keep this one's.
     */
    public static boolean fill(String title, ParamForm form, String help, boolean remember) {
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
        if (remember) {
            recallLast(title, form);
        }
        String command = Recorder.getCommand(); // the menu command being recorded (null when not recording)
        try {
            if (!IjDialog.show(title, form, help)) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            IjMessages.fail(title, e.getMessage());
            return false;
        }
        if (remember) {
            store(title, form);
        }
        record(command, form);
        return true;
    }

    /** Starts the form (a dialog's) from the values of the command's last OK. */
    static void recallLast(String title, ParamForm form) {
        for (ParamForm.Field f : form.fields()) {
            form.recall(f.key(), Prefs.get(prefsKey(title, f.key()), null));
        }
    }

    /** Keeps the values of a dialog's OK for the command's next dialog. */
    static void store(String title, ParamForm form) {
        for (ParamForm.Field f : form.fields()) {
            Prefs.set(prefsKey(title, f.key()), form.string(f.key()));
        }
    }

    /**
     * Replaces what GenericDialog would record (its text areas record as text1/text2, an Advanced page not at
     * all) by the form's line, which {@link ParamForm#readMacro} reads back. ImageJ records no window
     * activations while a command runs (its name is set), but the line's recording clears that name: recording is
     * suspended for this thread until the command ends ({@link Commands#guarded}), else the preview window and the
     * result would be recorded as {@code selectImage("Text to Image (preview)")} and the like, which fail when the
     * macro runs (a macro shows no preview; a random seed gives another title).
     */
    static void record(String command, ParamForm form) {
        if (command != null && Recorder.record) {
            Recorder.disableCommandRecording();
            Recorder.recordString(form.macroLine(command) + "\n");
            Recorder.suspendRecording();
        }
    }

    static String prefsKey(String title, String key) {
        return PREFS + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "." + key;
    }
}
