package org.ijdiffusion.plugin.ij.gui;

import static org.ijdiffusion.plugin.ij.gui.GuiRobot.check;
import static org.ijdiffusion.plugin.ij.gui.GuiRobot.fail;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import java.awt.Dialog;
import java.awt.Window;
import java.util.Arrays;
import java.util.Map;

/**
 * What the Recorder wrote while the scenario worked the dialogs, run back as a macro (as Plugins > Macros > Run...
 * would, on its own thread): it must end without a macro error (no dialog opens; a recorded
 * {@code selectImage("... (preview)")} would fail, a macro shows no preview) and make the same pictures, pixel
 * for pixel, under the same titles.
 */
final class RecordedReplay {
    private RecordedReplay() {
    }

    /** {@code results}: the pixels' hash of each picture the dialogs made, by title. */
    static void run(String recorded, Map<String, Integer> results) throws Exception {
        PreviewGuiScenario.closeAll();
        Thread macro = new Thread(() -> IJ.runMacro(recorded), "replay-recorded");
        macro.start();
        GuiRobot.waitFor("the recorded macro to end", () -> {
            for (Window w : Window.getWindows()) {
                if (w instanceof Dialog d && d.isShowing()) {
                    fail("a dialog \"" + d.getTitle() + "\" opened while the recorded macro ran:\n" + recorded);
                }
            }
            return macro.isAlive() ? null : true;
        });
        for (Map.Entry<String, Integer> r : results.entrySet()) {
            ImagePlus imp = WindowManager.getImage(r.getKey());
            check(imp != null, "the recorded macro made no picture titled " + r.getKey());
            check(Arrays.hashCode((int[]) imp.getProcessor().getPixels()) == r.getValue(),
                    "the recorded macro's " + r.getKey() + " differs from the dialog's");
        }
        int[] ids = WindowManager.getIDList();
        check(ids != null && ids.length == results.size(), "the recorded macro opened other images too: "
                + (ids == null ? 0 : ids.length));
        System.out.println("the recorded macro replays: " + results.keySet());
        PreviewGuiScenario.closeAll();
    }
}
