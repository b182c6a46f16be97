package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeated options, escaped control characters, the no-arguments line, exit codes and --debug. */
class CliHygieneTest {
    @Test
    void noArgumentsIsOneUsageLineWithAPointerToHelp() {
        InspectCommandTest.Result r = InspectCommandTest.run();
        assertEquals(Main.BAD_INPUT, r.code());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Usage: ij-diffusion COMMAND") && r.err().contains("--help"), r.err());
        assertEquals(Main.OK, InspectCommandTest.run("--help").code());
    }

    @Test
    void repeatedOptionsAreRefusedExceptThoseMeantToRepeat() {
        InspectCommandTest.Result steps = InspectCommandTest.run("generate", "--model", "m", "--prompt", "p",
                "--steps", "2", "--steps=3", "--out", "o.png");
        assertEquals(Main.BAD_INPUT, steps.code());
        assertTrue(steps.err().contains("--steps is given twice ('2' and '3')"), steps.err());
        InspectCommandTest.Result flag = InspectCommandTest.run("inspect", "--model", "m", "--json", "--json");
        assertEquals(Main.BAD_INPUT, flag.code());
        assertTrue(flag.err().contains("--json is given twice"), flag.err());
        InspectCommandTest.Result pose = InspectCommandTest.run("render-pose", "--pose", "a.json", "--out", "a.png",
                "--out", "b.png");
        assertTrue(pose.code() == Main.BAD_INPUT && pose.err().contains("--out is given twice"), pose.err());
        // --lora and --control units repeat; within one unit an option is given once
        InspectCommandTest.Result lora = InspectCommandTest.run("generate", "--model", "m", "--prompt", "p",
                "--lora", "no-such-a.safetensors", "--lora", "no-such-b.safetensors", "--out", "o.png");
        assertTrue(lora.code() == Main.BAD_INPUT && !lora.err().contains("twice")
                && lora.err().contains("no file no-such-a.safetensors"), lora.err());
        InspectCommandTest.Result units = InspectCommandTest.run("generate", "--model", "m", "--prompt", "p",
                "--control", "c1", "--control-image", "a.png", "--control", "c2", "--control-image", "b.png",
                "--control-image", "c.png", "--out", "o.png");
        assertEquals(Main.BAD_INPUT, units.code());
        assertTrue(units.err().contains("--control-image is given twice for the unit of --control c2"), units.err());
    }

    @Test
    void controlCharactersFromFileNamesAreEscaped() {
        String evil = "evil\u001b[2J\u001b]0;owned\u0007\u009b31m\u202e.safetensors";
        InspectCommandTest.Result r = InspectCommandTest.run("inspect", "--model", evil);
        assertEquals(Main.BAD_INPUT, r.code());
        assertFalse(r.err().chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b || c == 0x202e), r.err());
        assertTrue(r.err().contains("evil\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m\\u202e.safetensors"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void theEscapingStreamKeepsLinesTabsAndJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream s = new EscapingPrintStream(target);
        s.println("a\tb\u001bc");
        s.printf("%s|%d%n", "x\ry", 42);
        s.print('\u0085');
        s.append("\u007f").append('z');
        s.println((Object) "\u2066");
        s.flush();
        assertEquals("a\tb\\u001bc\nx\\u000dy|42\n\\u0085\\u007fz\\u2066\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertEquals("plain ünïcödé 画像", EscapingPrintStream.escape("plain ünïcödé 画像"));
    }

    /** A command with a bug: exit 1, one line, a stack trace only with --debug. */
    @Test
    void internalErrorsAreExitOneWithATraceOnlyWithDebug() {
        Command broken = new Command() {
            public String name() {
                return "broken";
            }

            public String summary() {
                return "fails";
            }

            public String usage() {
                return "broken";
            }

            public int run(List<String> args, PrintStream out, PrintStream err) {
                Args.parse(name(), args, java.util.Set.of(), java.util.Set.of());
                throw new NullPointerException("a bug");
            }
        };
        String plain = run(Main.FAILED, broken, "broken");
        assertEquals(1, plain.lines().count(), plain);
        assertTrue(plain.contains("broken failed: java.lang.NullPointerException: a bug (--debug shows where)"), plain);
        for (String[] args : new String[][] {{"broken", "--debug"}, {"--debug", "broken"}}) {
            String debug = run(Main.FAILED, broken, args);
            assertTrue(debug.contains("\tat org.ijdiffusion.plugin.cli.CliHygieneTest"), debug);
        }
        // bad input: exit 2, one line, no trace
        String bad = run(Main.BAD_INPUT, broken, "broken", "--what");
        assertEquals(1, bad.lines().count(), bad);
        assertFalse(bad.contains("\tat "), bad);
    }

    private static String run(int expected, Command c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), List.of(c));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, e);
        return e;
    }
}
