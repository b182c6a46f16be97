package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.Macro;
import java.util.concurrent.atomic.AtomicReference;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.junit.jupiter.api.Test;

/**
 * Remembered values: what a dialog's OK stored (ImageJ Prefs) starts the next dialog, while a macro that
 * leaves keys out gets the documented defaults.
 */
class IjFormRecallTest {
    private static final String TITLE = "Recall Test Command";

    private static ParamForm form() {
        return new ParamForm().text("prompt", "").integer("steps", 20, 1, 150).checkbox("hires", false);
    }

    @Test
    void nextDialogStartsFromLastOkButAMacroGetsTheDefaults() throws Exception {
        ParamForm ok = form();
        ok.set("prompt", "a remembered cat");
        ok.set("steps", "7");
        ok.set("hires", "true");
        IjForm.store(TITLE, ok); // what a dialog's OK does

        ParamForm next = form();
        IjForm.recallLast(TITLE, next); // what the next dialog starts from
        assertEquals("a remembered cat", next.string("prompt"));
        assertEquals(7, next.integer("steps"));
        assertTrue(next.bool("hires"));

        // a macro giving only prompt=: steps takes its default (20), not the remembered 7
        AtomicReference<ParamForm> fromMacro = new AtomicReference<>();
        AtomicReference<Boolean> filled = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Macro.setOptions("prompt=[from a macro]");
            ParamForm f = form();
            filled.set(IjForm.fill(TITLE, f, null));
            fromMacro.set(f);
            Macro.setOptions(null);
        }, "Run$_recall-test");
        t.start();
        t.join();
        assertTrue(filled.get());
        assertEquals("from a macro", fromMacro.get().string("prompt"));
        assertEquals(20, fromMacro.get().integer("steps"));
        assertEquals(false, fromMacro.get().bool("hires"));
    }

    @Test
    void aRememberedValueNoLongerValidKeepsTheDefault() {
        ij.Prefs.set(IjForm.prefsKey(TITLE + " 2", "steps"), "999");
        ParamForm next = form();
        IjForm.recallLast(TITLE + " 2", next);
        assertEquals(20, next.integer("steps"));
    }
}
