package org.ijdiffusion.plugin.ij;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import net.imagej.patcher.LegacyEnvironment;

/**
 * Runs an ImageJ macro with no display, as Fiji's {@code --headless} does (ij1-patcher's headless
 * ImageJ 1), with the jars of a plugins folder installed: {@code HeadlessMacro PLUGINS_DIR MACRO.ijm [ARG]}.
 * Used by {@code bin/fiji-layout --headless}. As in Fiji, ImageJ 1 is patched in the class loader that holds
 * everything (Fiji's launcher puts jars/*, jars/PLATFORM/* and ImageJ on one class path), not in a loader of
 * its own. Exit code 0 (also after the macro's own {@code exit}); 1 when the macro fails (a macro error, an
 * unknown command, a command that aborts the macro);
 * 2 with a one-line message when the macro cannot be read.
 */
public final class HeadlessMacro {
    /** What ImageJ's {@code IJ.runMacro} answers for a macro that stopped on an error or was aborted. */
    static final String ABORTED = "[aborted]";

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
        LegacyEnvironment env = new LegacyEnvironment(HeadlessMacro.class.getClassLoader(), true);
        env.disableIJ1PluginDirs();
        File[] jars = new File(args[0]).listFiles((d, n) -> n.endsWith(".jar"));
        if (jars != null) {
            env.addPluginClasspath(jars);
        }
        String arg = args.length > 2 ? args[2] : "";
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        // ImageJ looks for macro options on threads named Run$_...
        Thread t = new Thread(() -> {
            try {
                env.applyPatches();
                // our own Interpreter, to ask it whether the macro stopped on an error (env.runMacro hides that)
                Class<?> type = env.getClassLoader().loadClass("ij.macro.Interpreter");
                Object interpreter = type.getConstructor().newInstance();
                Object answer;
                try {
                    answer = type.getMethod("run", String.class, String.class).invoke(interpreter, code, arg);
                } catch (InvocationTargetException x) {
                    // ImageJ stops a macro on an error, and on exit, by throwing "Macro canceled"
                    if (!(x.getCause() instanceof RuntimeException r && "Macro canceled".equals(r.getMessage()))) {
                        throw x;
                    }
                    answer = null;
                }
                boolean error = (Boolean) type.getMethod("wasError").invoke(interpreter);
                result.set(error ? ABORTED : answer);
            } catch (InvocationTargetException x) {
                failure.set(x.getCause());
            } catch (Throwable x) {
                failure.set(x);
            }
        }, "Run$_headless-macro");
        t.start();
        t.join();
        if (failure.get() != null) {
            System.err.println("macro failed: " + failure.get());
            System.exit(1);
        }
        if (ABORTED.equals(result.get())) {
            System.err.println("macro failed: " + macro.getFileName() + " stopped on an error (see the message above)");
            System.exit(1);
        }
        System.exit(0);
    }
}
