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

/**
 * Runs a GUI scenario's {@code main} in a child JVM under Xvfb ({@code xvfb-run}, always under
 * {@code timeout}: a modal dialog must not hang the build), with this test's class path and a fresh
 * user home. The test is skipped, with a message, where no X server can be had (no xvfb-run, Xvfb fails
 * to start, or the JDK has no X11 toolkit); otherwise the child must exit 0. Returns its output.
 */
public final class XvfbChild {
    private XvfbChild() {
    }

    /**
     * {@code main} with {@code args} on a {@code screen} ("1280x1024x24") display, {@code seconds} at most,
     * a heap of {@code xmx} ("3g").
     */
    public static String run(Class<?> main, String screen, int seconds, String xmx, String... args) throws Exception {
        Assumptions.assumeTrue(onPath("xvfb-run") && onPath("timeout"),
                main.getSimpleName() + " skipped: no xvfb-run on this machine (apt-get install xvfb xauth)");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path home = Files.createTempDirectory("gui-home");
        List<String> cmd = new ArrayList<>(List.of("timeout", Integer.toString(seconds), "xvfb-run", "-a", "-s",
                "-screen 0 " + screen, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Dai.djl.offline=true", "-Duser.home=" + home, "-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds + 10L, TimeUnit.SECONDS), main.getSimpleName() + " did not finish:\n" + log);
        System.out.println(log);
        if (log.contains("Xvfb failed to start") || log.contains("xvfb-run: error") || log.contains("libawt_xawt")
                || log.contains("AWTError") || log.contains("HeadlessException")) {
            Assumptions.abort(main.getSimpleName() + " skipped: no usable display here (Xvfb or the JDK's X11 "
                    + "toolkit missing; a headless JDK has no libawt_xawt):\n" + log);
        }
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    /** The build's folder for screenshots: target/gui (or the build dir's). */
    public static Path outputFolder() {
        return Path.of(System.getProperty("ijd.build.dir", "target"), "gui");
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
