package org.ijdiffusion.plugin.cli;

import java.io.PrintStream;
import java.util.List;

/** One {@code ij-diffusion} subcommand. Register it in {@link Main#COMMANDS}. */
public interface Command {
    /** The word after {@code ij-diffusion}, e.g. {@code inspect}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Usage text for {@code ij-diffusion NAME --help}. */
    String usage();

    /**
     * Runs the command. Bad input is reported by throwing {@link UsageException},
     * {@code ModelFileException} or {@link IllegalArgumentException} (Main prints the message and
     * returns 2); otherwise returns the exit code.
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
