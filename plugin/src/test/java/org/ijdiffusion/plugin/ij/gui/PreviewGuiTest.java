package org.ijdiffusion.plugin.ij.gui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/**
 * The live preview in a real ImageJ under Xvfb ({@link PreviewGuiScenario}, in a child JVM, always under
 * {@code timeout}): Diffusion Settings recorded and replayed, TAESD and latent-approximation previews in
 * one window updated in place, kept or closed per the setting, and runs stopped by Esc or by closing the
 * preview leaving nothing behind. Screenshots in target/gui/preview-*.png. Skipped, with a message, where
 * no X server can be had.
 */
class PreviewGuiTest {
    @Test
    void livePreviewAndCancellationUnderXvfb() throws Exception {
        Path out = XvfbChild.outputFolder();
        XvfbChild.run(PreviewGuiScenario.class, "1280x1024x24", 400, "3g", out.toString(),
                TestData.root().toString());
        for (String shot : List.of("preview-taesd-during-run.png", "preview-kept.png", "preview-approximation-during-run.png",
                "preview-stopped-esc.png", "preview-stopped-close.png")) {
            assertTrue(Files.size(out.resolve(shot)) > 1000, shot);
        }
    }
}
