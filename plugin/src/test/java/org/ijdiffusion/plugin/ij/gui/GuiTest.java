package org.ijdiffusion.plugin.ij.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Text to Image dialog in a real ImageJ window, in a child JVM under Xvfb ({@code xvfb-run}, always
 * under {@code timeout}); screenshots of the dialog and the result go to target/gui/. Skipped, with a
 * message, where no X server can be had.
 */
class GuiTest {
    @Test
    void textToImageDialogUnderXvfb() throws Exception {
        boolean xvfb = onPath("xvfb-run") && onPath("timeout");
        Assumptions.assumeTrue(xvfb, "GUI test skipped: no xvfb-run on this machine (apt-get install xvfb)");
        Path out = Path.of(System.getProperty("ijd.build.dir", "target"), "gui");
        String models = testdata().resolve("models").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path home = Files.createTempDirectory("gui-home");
        List<String> cmd = new ArrayList<>(List.of("timeout", "300", "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g", "-Dai.djl.offline=true",
                "-Duser.home=" + home, "-cp", cp, GuiScenario.class.getName(), out.toString(), models));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(310, TimeUnit.SECONDS), "GUI scenario did not finish:\n" + log);
        System.out.println(log);
        if (log.contains("Xvfb failed to start") || log.contains("xvfb-run: error") || log.contains("libawt_xawt")
                || log.contains("AWTError") || log.contains("HeadlessException")) {
            Assumptions.abort("GUI test skipped: no usable display here (Xvfb or the JDK's X11 toolkit missing; "
                    + "a headless JDK has no libawt_xawt):\n" + log);
        }
        assertEquals(0, p.exitValue(), log);
        assertTrue(Files.size(out.resolve("text-to-image-dialog.png")) > 1000);
        assertTrue(Files.size(out.resolve("text-to-image-result.png")) > 100);
    }

    /** Whether {@code exe} is an executable on the PATH. */
    static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    /** The repository's testdata folder (the build sets {@code testdata.dir}). */
    static Path testdata() {
        String p = System.getProperty("testdata.dir");
        return (p != null && !p.isBlank() ? Path.of(p) : Path.of("..", "testdata")).toAbsolutePath();
    }
}
