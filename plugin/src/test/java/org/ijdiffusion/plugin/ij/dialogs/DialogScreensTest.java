package org.ijdiffusion.plugin.ij.dialogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Text to Image and Inpaint Selection dialogs on a 1366x768 screen (Xvfb, in a child JVM under timeout): the
 * dialog and its OK button inside the screen; screenshots in target/gui/. Skipped where no X server can be had.
 */
class DialogScreensTest {
    @Test
    void dialogsFitA1366x768Screen() throws Exception {
        Assumptions.assumeTrue(onPath("xvfb-run") && onPath("timeout"), "skipped: no xvfb-run (apt-get install xvfb)");
        Path out = Path.of(System.getProperty("ijd.build.dir", "target"), "gui");
        String models = Path.of(System.getProperty("testdata.dir", "../testdata")).toAbsolutePath().resolve("models").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path home = Files.createTempDirectory("gui-home");
        Process p = new ProcessBuilder(List.of("timeout", "240", "xvfb-run", "-a", "-s", "-screen 0 1366x768x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-Duser.home=" + home,
                "-cp", cp, DialogScreens.class.getName(), out.toString(), models)).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(250, TimeUnit.SECONDS), log);
        System.out.println(log);
        if (log.contains("Xvfb failed to start") || log.contains("xvfb-run: error") || log.contains("HeadlessException")) {
            Assumptions.abort("no usable display:\n" + log);
        }
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("screen 1366 768"), log);
        assertTrue(Files.size(out.resolve("text-to-image-1366x768.png")) > 1000);
        assertTrue(Files.size(out.resolve("inpaint-1366x768.png")) > 1000);
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
