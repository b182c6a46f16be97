package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.Macro;

/** User-facing errors: one message box (in a macro, also the end of the macro), never a stack trace. */
public final class IjMessages {
    private IjMessages() {
    }

    /** Shows {@code message}; in a running macro, aborts it so the error is not followed by later lines. */
    public static void fail(String title, String message) {
        String m = message == null || message.isBlank() ? "failed (no message)"
                : org.ijdiffusion.plugin.ij.core.ImageJWords.translate(message);
        if (IJ.getInstance() == null && !IJ.isMacro()) {
            // headless or batch: make the message visible where the run's output goes
            System.err.println(title + ": " + m);
        }
        IJ.error(title, m);
        if (Macro.getOptions() != null || IJ.isMacro()) {
            Macro.abort();
        }
    }

    /** An unexpected failure: its message (with the exception type when it has none) and the log. */
    public static void failed(String title, Throwable t) {
        String m = t.getMessage();
        if (!(t instanceof IllegalArgumentException || t instanceof IllegalStateException) || m == null) {
            IJ.log(title + ": " + t);
            if (Boolean.getBoolean("ijdiffusion.debug")) {
                t.printStackTrace(); // for developers: -Dijdiffusion.debug=true
            }
            m = m == null ? "failed unexpectedly (" + t.getClass().getSimpleName() + "); details are in the Log window" : m;
        }
        fail(title, m);
    }
}
