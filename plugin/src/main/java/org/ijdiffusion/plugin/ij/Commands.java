package org.ijdiffusion.plugin.ij;

import ij.plugin.frame.Recorder;
import java.awt.EventQueue;

/** Keeps long work off the AWT event thread (ImageJ runs menu commands on their own thread already). */
final class Commands {
    private Commands() {
    }

    /** Runs {@code body} here, or on a new thread when called on the event thread. */
    static void offEventThread(String name, Runnable body) {
        if (EventQueue.isDispatchThread()) {
            new Thread(body, "Run$_" + name).start();
        } else {
            body.run();
        }
    }

    /**
     * Runs {@code body}; any failure becomes a message (a macro error in a macro), never a stack trace. Recording,
     * if IjForm suspended it for this thread, is resumed at the end.
     */
    static void guarded(String title, Runnable body) {
        try {
            failures(title, body);
        } finally {
            Recorder.resumeRecording(); // suspended by IjForm once the command's line was recorded
        }
    }

    private static void failures(String title, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            if (ij.Macro.MACRO_CANCELED.equals(e.getMessage())) {
                throw e;
            }
            IjMessages.failed(title, e);
        } catch (OutOfMemoryError e) {
            IjMessages.fail(title, "out of memory: give ImageJ more memory (Edit > Options > Memory & Threads) or "
                    + "use a smaller size or batch");
        }
    }
}
