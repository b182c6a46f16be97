package org.ijdiffusion.plugin.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ijdiffusion.plugin.cli.Main;

/** Runs the CLI in this JVM with captured streams. */
final class CliRunner {
    private CliRunner() {
    }

    static FuzzCase.Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        Throwable thrown = null;
        try {
            code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            code = -1;
            thrown = t;
        }
        return new FuzzCase.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                thrown, false);
    }

    /** The outcome of a library call that throws what the CLI would report: mapped as {@link Main} maps it. */
    static FuzzCase.Outcome library(ThrowingRunnable r) {
        try {
            r.run();
            return new FuzzCase.Outcome(0, "", "", null, false);
        } catch (org.ijdiffusion.diffusion.io.ModelFileException | IllegalArgumentException e) {
            return new FuzzCase.Outcome(2, "", "ij-diffusion: " + e.getMessage() + "\n", null, false);
        } catch (Throwable t) {
            return new FuzzCase.Outcome(-1, "", String.valueOf(t), t, false);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
