package org.ijdiffusion.plugin.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One hostile or careless input and what must come of it. A case is data: a group, a name, how to
 * prepare it in a fresh folder, and the expectation. To add one, add a line to a generator
 * ({@link CheckpointCases}, {@link ArgumentCases}, {@link FileCases}) or a new generator listed in
 * {@link FuzzCorpus#generators()}.
 *
 * @param group  what is attacked ("checkpoint", "arguments", "files", ...)
 * @param name   unique within the corpus
 * @param setup  makes the inputs in {@code dir} and says how to run the case
 * @param expect the outcome that counts as correct
 */
public record FuzzCase(String group, String name, Setup setup, Expect expect) {

    /** Prepares the case's files in {@code dir} (fresh, empty) and returns how to run it. */
    @FunctionalInterface
    public interface Setup {
        Invocation prepare(Path dir) throws Exception;
    }

    /** Runs a case and reports what happened. */
    @FunctionalInterface
    public interface Action {
        Outcome run(Path dir) throws Exception;
    }

    /** Checks an accepted run's result (the output file's size, contents...); returns null when right, else why not. */
    @FunctionalInterface
    public interface Check {
        String problem(Path dir, Outcome o) throws Exception;
    }

    /**
     * @param action how to run it (in-process CLI, library call, subprocess)
     * @param inputs files that must be byte for byte the same afterwards
     * @param check  for an accepted run: is its result right (null: nothing more to check)
     */
    public record Invocation(Action action, List<Path> inputs, Check check) {
        public static Invocation cli(List<Path> inputs, String... args) {
            return new Invocation(dir -> Outcome.ofCli(args), inputs, null);
        }

        public Invocation checking(Check c) {
            return new Invocation(action, inputs, c);
        }
    }

    /** What happened: exit code (or -1 when it threw), the two streams, an escaped throwable, a timeout. */
    public record Outcome(int code, String out, String err, Throwable thrown, boolean timedOut) {
        public static Outcome ofCli(String... args) {
            return CliRunner.run(args);
        }
    }

    /** What must happen. */
    public enum Kind {
        /** exit 2 with one line naming the problem */
        REFUSE,
        /** exit 0 and a right result */
        ACCEPT,
        /** either, but never a crash or a wrong result (races: a file changed while in use) */
        EITHER
    }

    /** @param message for a refusal: a pattern its line must contain (null: any) */
    public record Expect(Kind kind, Pattern message) {
        public static Expect refuse(String regex) {
            return new Expect(Kind.REFUSE, regex == null ? null : Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
        }

        public static Expect accept() {
            return new Expect(Kind.ACCEPT, null);
        }

        public static Expect either(String refusalRegex) {
            return new Expect(Kind.EITHER, refusalRegex == null ? null
                    : Pattern.compile(refusalRegex, Pattern.CASE_INSENSITIVE));
        }
    }
}
