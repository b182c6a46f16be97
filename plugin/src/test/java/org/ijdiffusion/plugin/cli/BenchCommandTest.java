package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ij-diffusion bench} refuses bad options before it loads anything (a benchmark is never timed in tests). */
class BenchCommandTest {
    @Test
    void aProfileInAMissingFolderIsRefusedUpFront() {
        InspectCommandTest.Result r = InspectCommandTest.run("bench", "--model", "/no/such/model.safetensors",
                "--profile", "/no/such/folder/trace.json");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--profile /no/such/folder/trace.json: the folder /no/such/folder does not exist"),
                r.err());
        assertTrue(r.err().lines().count() == 1 && !r.err().contains("\tat "), "one line, no stack trace: " + r.err());
    }
}
