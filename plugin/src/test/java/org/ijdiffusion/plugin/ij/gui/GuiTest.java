package org.ijdiffusion.plugin.ij.gui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/**
 * The Text to Image dialog in a real ImageJ window, in a child JVM under Xvfb ({@code xvfb-run}, always
 * under {@code timeout}); screenshots of the dialog and the result go to target/gui/. Skipped, with a
 * message, where no X server can be had.
 */
class GuiTest {
    @Test
    void textToImageDialogUnderXvfb() throws Exception {
        Path out = XvfbChild.outputFolder();
        XvfbChild.run(GuiScenario.class, "1280x1024x24", 300, "4g", out.toString(),
                TestData.models().toString());
        assertTrue(Files.size(out.resolve("text-to-image-dialog.png")) > 1000);
        assertTrue(Files.size(out.resolve("text-to-image-result.png")) > 100);
    }
}
