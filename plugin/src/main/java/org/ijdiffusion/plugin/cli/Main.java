package org.ijdiffusion.plugin.cli;

import org.ijdiffusion.diffusion.util.HugePages;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The {@code ij-diffusion} command line: {@code ij-diffusion COMMAND [options]}. Adding a command is
 * one line in {@link #COMMANDS}. Bad input ends with one line on stderr and exit code 2, never a
 * stack trace (give {@code --debug}, or set {@code -Dijdiffusion.debug=true}, to see one). Exit 1 is an
 * internal error. No arguments print one usage line. Everything printed goes through
 * {@link EscapingPrintStream}, so control characters from files cannot act on the terminal.
 */
public final class Main {
    /** Every subcommand, in the order the help lists them. */
    static final List<Command> COMMANDS = List.of(
            new InspectCommand(), new GenerateCommand(), new BenchCommand(), new PreprocessCommand(),
            new RenderPoseCommand(), new RandomCheckpointCommand(), new ModelsCommand(),
            new org.ijdiffusion.plugin.cli.batch.BatchCommand(), new org.ijdiffusion.plugin.cli.batch.BatchReportCommand());

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        HugePages.enable();
        try {
            EngineThreads.apply(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("ij-diffusion: " + e.getMessage());
            System.exit(BAD_INPUT);
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code (never calls System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, COMMANDS);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with another command list (tests). */
    static int run(String[] args, PrintStream out, PrintStream err, List<Command> commands) {
        PrintStream o = new EscapingPrintStream(out);
        PrintStream e = new EscapingPrintStream(err);
        try {
            return dispatch(args, o, e, commands);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** The switch every command accepts: stack traces of internal errors (also {@code -Dijdiffusion.debug=true}). */
    static final String DEBUG = "debug";

    private static int dispatch(String[] given, PrintStream out, PrintStream err, List<Command> commands) {
        boolean debug = Boolean.getBoolean("ijdiffusion.debug");
        String[] args = given;
        if (args.length > 0 && args[0].equals("--" + DEBUG)) { // ij-diffusion --debug COMMAND ...
            debug = true;
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length == 0) {
            err.println("Usage: ij-diffusion COMMAND [options]   (ij-diffusion --help lists the commands)");
            return BAD_INPUT;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printHelp(out);
            return OK;
        }
        String name = args[0];
        Command command = commands.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("ij-diffusion: unknown command '" + name + "'. Commands: " + names()
                    + ". (ij-diffusion --help lists them)");
            return BAD_INPUT;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(command.usage());
            return OK;
        }
        debug |= rest.contains("--" + DEBUG);
        try {
            return command.run(rest, out, err);
        } catch (ModelFileException | IllegalArgumentException | java.io.IOException | java.io.UncheckedIOException e) {
            // bad input: a wrong option, a missing or unreadable file, a model that cannot be used
            err.println("ij-diffusion " + command.name() + ": " + oneLine(e.getMessage()));
            if (debug) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        } catch (Exception | Error e) {
            err.println("ij-diffusion " + command.name() + " failed: " + oneLine(String.valueOf(e))
                    + (debug ? "" : " (--debug shows where)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String names() {
        return String.join(", ", COMMANDS.stream().map(Command::name).toList());
    }

    private static void printHelp(PrintStream s) {
        s.println("Usage: ij-diffusion COMMAND [options]   (ij-diffusion COMMAND --help for its options)");
        s.println("Commands:");
        for (Command c : COMMANDS) {
            s.printf("  %-12s %s%n", c.name(), c.summary());
        }
    }
}
