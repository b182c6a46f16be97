package org.ijdiffusion.plugin.ij;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import net.imagej.patcher.LegacyEnvironment;

/**
 * ImageJ 1 without a display, as Fiji's --headless runs it (ij1-patcher), with the suite's
 * plugins.config on its plugin class path. Macros run on a thread named "Run$_..." (where ImageJ
 * looks for macro options); what they print and every error message is captured.
 */
final class HeadlessImageJ {
    private static LegacyEnvironment env;

    private HeadlessImageJ() {
    }

    static synchronized LegacyEnvironment env() throws Exception {
        if (env == null) {
            System.setProperty("java.awt.headless", "true");
            Path home = Files.createTempDirectory("ij-home");
            System.setProperty("ij.dir", home.toString());
            LegacyEnvironment e = new LegacyEnvironment(null, true);
            e.disableIJ1PluginDirs();
            // the suite and its dependencies, as a plugin (ImageJ itself comes from the patched environment)
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            for (String entry : cp.split(File.pathSeparator)) {
                String name = new File(entry).getName();
                if (!name.matches("ij-[0-9].*") && !name.startsWith("ij1-patcher") && !name.startsWith("javassist")
                        && !name.startsWith("junit") && !name.startsWith("test-classes")) {
                    e.addPluginClasspath(new File(entry));
                }
            }
            env = e;
        }
        return env;
    }

    /**
     * Runs {@code macro} (in batch mode, after closing the images earlier macros left open) and returns
     * everything written to stdout and stderr meanwhile.
     */
    static synchronized String run(String macro) throws Exception {
        LegacyEnvironment e = env();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream tee = new PrintStream(new Tee(buf, oldOut), true, StandardCharsets.UTF_8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                e.runMacro("setBatchMode(true); close(\"*\");\n" + macro, "");
            } catch (Throwable x) {
                failure.set(x);
            }
        }, "Run$_headless-test");
        System.setOut(tee);
        System.setErr(tee);
        try {
            t.start();
            t.join();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        if (failure.get() != null) {
            throw new AssertionError("macro threw: " + failure.get() + "\n" + buf.toString(StandardCharsets.UTF_8),
                    failure.get());
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** A macro-language string literal. */
    static String q(Object s) {
        return "\"" + s.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] d, int off, int len) throws java.io.IOException {
            a.write(d, off, len);
            b.write(d, off, len);
        }
    }
}
