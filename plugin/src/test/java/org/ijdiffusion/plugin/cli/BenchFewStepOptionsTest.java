package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bench's --cfg, --schedule, --eta, --whole and --taesd options: bad values are refused before loading. */
class BenchFewStepOptionsTest {
    @Test
    void badFewStepOptionsAreRefusedBeforeLoading() {
        String[][] cases = {
            {"--sampler", "pndm", "--schedule", "trailing"},
            {"--sampler", "euler", "--eta", "0.3"},
            {"--sampler", "lcm", "--steps", "60"},
            {"--cfg", "-1"},
        };
        String[] expect = {"not available with the PLMS sampler", "eta applies to the DDIM and TCD samplers only",
            "at most 50 steps", "cfg scale must be between 0 and 100"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 3];
            args[0] = "bench";
            args[1] = "--model";
            args[2] = "/no/such/model.safetensors";
            System.arraycopy(cases[i], 0, args, 3, cases[i].length);
            InspectCommandTest.Result r = InspectCommandTest.run(args);
            assertEquals(Main.BAD_INPUT, r.code(), String.join(" ", args));
            assertTrue(r.err().contains(expect[i]), expect[i] + " in " + r.err());
            assertTrue(r.err().lines().count() == 1 && !r.err().contains("\tat "), r.err());
        }
        assertTrue(InspectCommandTest.run("bench", "--help").out().contains("--whole"));
    }
}
