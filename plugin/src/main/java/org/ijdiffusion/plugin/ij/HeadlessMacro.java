package org.ijdiffusion.plugin.ij;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import net.imagej.patcher.LegacyEnvironment;

/**
 * Runs an ImageJ macro with no display, as Fiji's {@code --headless} does (ij1-patcher's headless
 * ImageJ 1), with the jars of a plugins folder installed: {@code HeadlessMacro PLUGINS_DIR MACRO.ijm [ARG]}.
 * Used by {@code bin/fiji-layout --headless}. Exit code 0, or 2 with a one-line message.
 */
public final class HeadlessMacro {
    private HeadlessMacro() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HeadlessMacro PLUGINS_DIR MACRO.ijm [ARG]");
            System.exit(2);
        }
        Path macro = Path.of(args[1]);
        String code;
        try {
            code = Files.readString(macro, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot read the macro " + macro + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        LegacyEnvironment env = new LegacyEnvironment(null, true);
        env.disableIJ1PluginDirs();
        File[] jars = new File(args[0]).listFiles((d, n) -> n.endsWith(".jar"));
        if (jars != null) {
            env.addPluginClasspath(jars);
        }
        String arg = args.length > 2 ? args[2] : "";
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // ImageJ looks for macro options on threads named Run$_...
        Thread t = new Thread(() -> {
            try {
                env.runMacro(code, arg);
            } catch (Throwable x) {
                failure.set(x);
            }
        }, "Run$_headless-macro");
        t.start();
        t.join();
        if (failure.get() != null) {
            System.err.println("macro failed: " + failure.get());
            System.exit(2);
        }
        System.exit(0);
    }
}
