package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.plugin.cli.Main;
import org.ijdiffusion.plugin.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --name templates: placeholders, plain file names only, and two jobs on one file refused before anything runs. */
class OutputNamesTest {
    @TempDir
    Path dir;

    private static final Path MODEL = Path.of("/m.safetensors");

    private static List<Job> jobs(String jsonl, String template) {
        return Jobs.of(JobFile.jsonLines(jsonl), null, MODEL, true, new OutputNames(template));
    }

    @Test
    void placeholdersFillTheStem() {
        List<Job> j = jobs("{\"prompt\": \"A cat, (sitting:1.2) <lora:x:1>\", \"seed\": 42, \"name\": \"n\"}",
                "{index}-{seed}-{name}-{prompt}.png");
        assertEquals("0000-42-n-A_cat_sitting_1.2_lora_x_1", j.get(0).stem(), ".png is not doubled");
        assertEquals("a".repeat(48), OutputNames.sanitise("a".repeat(60)));
        assertEquals("prompt", OutputNames.sanitise("!!!"));
        UsageException u = assertThrows(UsageException.class, () -> new OutputNames("{idx}"));
        assertTrue(u.getMessage().contains("unknown placeholder {idx}"), u.getMessage());
    }

    @Test
    void twoJobsOnOneFileRefuseTheBatchNamingBothLines() {
        String two = "{\"prompt\": \"a\", \"seed\": 1}\n{\"prompt\": \"b\", \"seed\": 1}\n";
        UsageException u = assertThrows(UsageException.class, () -> jobs(two, "{seed}"));
        assertTrue(u.getMessage().contains("two jobs write 1.png (line 1 and line 2)"), u.getMessage());
        assertEquals(2, jobs(two, "{seed}-{index}").size(), "{index} tells them apart");
        UsageException cased = assertThrows(UsageException.class,
                () -> jobs("{\"prompt\": \"a\", \"seed\": 1, \"name\": \"Cat\"}\n"
                        + "{\"prompt\": \"b\", \"seed\": 2, \"name\": \"cat\"}\n", "{name}"));
        assertTrue(cased.getMessage().contains("two jobs write cat.png"), "letter case ignored: " + cased.getMessage());
        UsageException grid = assertThrows(UsageException.class,
                () -> jobs("{\"prompt\": [\"a\", \"b\"], \"seed\": 3}\n", "{seed}"), "grid points too");
        assertTrue(grid.getMessage().contains("3.png"), grid.getMessage());
        // a job that fails anyway does not block the others' names
        assertEquals(2, jobs("{\"prompt\": \"a\", \"seed\": 1}\n{\"prompt\": \"b\", \"seed\": 1, \"bogus\": 1}\n",
                "{seed}").size());
    }

    @Test
    void namesThatAreNoPlainFileFailTheirJob() {
        List<Job> j = jobs("{\"prompt\": \"a\", \"seed\": 1, \"name\": \"../up\"}\n"
                + "{\"prompt\": \"a\", \"seed\": 2, \"name\": \".hidden\"}\n"
                + "{\"prompt\": \"a\", \"seed\": 3, \"name\": \"report-0-of-1\"}\n", "{name}");
        for (Job x : j) {
            assertTrue(x.error() != null && x.error().contains("not a plain file name"), x.stem() + ": " + x.error());
        }
    }

    @Test
    void theBatchCommandRefusesACollisionWithExit2BeforeWritingAnything() throws Exception {
        Path jobs = Files.writeString(dir.resolve("jobs.jsonl"),
                "{\"prompt\": \"a\", \"seed\": 1}\n{\"prompt\": \"b\", \"seed\": 1}\n");
        Path out = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"batch", "--model", dir.resolve("no-model.safetensors").toString(), "--jobs",
            jobs.toString(), "--out", out.toString(), "--name", "{seed}"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("two jobs write 1.png"), err.toString());
        assertFalse(Files.exists(out), "nothing written");
    }
}
