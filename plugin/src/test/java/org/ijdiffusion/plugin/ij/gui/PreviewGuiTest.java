package org.ijdiffusion.plugin.ij.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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
        Assumptions.assumeTrue(GuiTest.onPath("xvfb-run") && GuiTest.onPath("timeout"),
                "GUI preview test skipped: no xvfb-run on this machine (apt-get install xvfb xauth)");
        Path out = Path.of(System.getProperty("ijd.build.dir", "target"), "gui");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path home = Files.createTempDirectory("gui-preview-home");
        List<String> cmd = List.of("timeout", "400", "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g", "-Dai.djl.offline=true",
                "-Duser.home=" + home, "-cp", cp, PreviewGuiScenario.class.getName(), out.toString(), GuiTest.testdata().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(410, TimeUnit.SECONDS), "GUI scenario did not finish:\n" + log);
        System.out.println(log);
        if (log.contains("Xvfb failed to start") || log.contains("xvfb-run: error") || log.contains("libawt_xawt")
                || log.contains("AWTError") || log.contains("HeadlessException")) {
            Assumptions.abort("GUI preview test skipped: no usable display here (Xvfb or the JDK's X11 toolkit "
                    + "missing):\n" + log);
        }
        assertEquals(0, p.exitValue(), log);
        for (String shot : List.of("preview-taesd-during-run.png", "preview-kept.png", "preview-approximation-during-run.png",
                "preview-stopped-esc.png", "preview-stopped-close.png")) {
            assertTrue(Files.size(out.resolve(shot)) > 1000, shot);
        }
    }
}
