package org.ijdiffusion.plugin.cli;

import org.ijdiffusion.diffusion.util.HugePages;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The {@code ij-diffusion} command line: {@code ij-diffusion COMMAND [options]}. Adding a command is
 * one line in {@link #COMMANDS}. Bad input ends with one line on stderr and exit code 2, never a
 * stack trace (set {@code -Dijdiffusion.debug=true} to see one for unexpected errors).
 */
public final class Main {
    /** Every subcommand, in the order the help lists them. */
    static final List<Command> COMMANDS = List.of(
            new InspectCommand(), new GenerateCommand(), new BenchCommand(), new PreprocessCommand(),
            new RenderPoseCommand(), new RandomCheckpointCommand(), new ModelsCommand());

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        HugePages.enable();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code (never calls System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printHelp(args.length == 0 ? err : out);
            return args.length == 0 ? BAD_INPUT : OK;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println("ij-diffusion: unknown command '" + args[0] + "'. Commands: " + names() + ".");
            return BAD_INPUT;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(command.usage());
            return OK;
        }
        try {
            return command.run(rest, out, err);
        } catch (ModelFileException | IllegalArgumentException | java.io.IOException e) {
            // bad input: a wrong option, a missing or unreadable file, a model that cannot be used
            err.println("ij-diffusion " + command.name() + ": " + oneLine(e.getMessage()));
            return BAD_INPUT;
        } catch (Exception | Error e) {
            err.println("ij-diffusion " + command.name() + " failed: " + oneLine(String.valueOf(e)));
            if (Boolean.getBoolean("ijdiffusion.debug")) {
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
