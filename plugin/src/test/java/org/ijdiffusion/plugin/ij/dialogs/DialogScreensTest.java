package org.ijdiffusion.plugin.ij.dialogs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.plugin.ij.gui.XvfbChild;
import org.junit.jupiter.api.Test;

/**
 * Text to Image and Inpaint Selection dialogs on a 1366x768 screen (Xvfb, in a child JVM under timeout): the
 * dialog and its OK button inside the screen; screenshots in target/gui/. Skipped where no X server can be had.
 */
class DialogScreensTest {
    @Test
    void dialogsFitA1366x768Screen() throws Exception {
        Path out = XvfbChild.outputFolder();
        String log = XvfbChild.run(DialogScreens.class, "1366x768x24", 240, "2g", out.toString(),
                TestData.models().toString());
        assertTrue(log.contains("screen 1366 768"), log);
        assertTrue(Files.size(out.resolve("text-to-image-1366x768.png")) > 1000);
        assertTrue(Files.size(out.resolve("inpaint-1366x768.png")) > 1000);
    }
}
