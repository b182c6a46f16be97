package org.ijdiffusion.plugin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.util.AvailableMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole fuzz corpus ({@link FuzzCorpus#all}) and prints tried / refused cleanly / accepted
 * correctly / wrong / crashed, one line per case before: wrong and crashed must be 0. The memory
 * available is fixed at 8 GB so that size limits do not depend on the machine.
 */
class FuzzCorpusTest {
    @TempDir
    Path dir;

    @Test
    void corpus() throws Exception {
        System.setProperty(AvailableMemory.AVAILABLE_PROPERTY, String.valueOf(8_000_000_000L));
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
        List<FuzzCorpus.Result> results = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int i = 0;
        try {
            String only = System.getProperty("fuzz.only"); // e.g. -Dfuzz.only=files/ while working on some cases
            for (FuzzCase c : FuzzCorpus.all()) {
                if (only != null && !(c.group() + "/" + c.name()).matches(".*(" + only + ").*")) {
                    continue;
                }
                Path d = Files.createDirectories(dir.resolve("case-" + i++));
                long t0 = System.nanoTime();
                FuzzCorpus.Result r = FuzzCorpus.run(c, d);
                results.add(r);
                String line = String.format("%-18s %-10s %-45s %5.1fs  %s", r.verdict(), c.group(), c.name(),
                        (System.nanoTime() - t0) / 1e9, r.detail());
                System.out.println(line);
                if (r.verdict() == FuzzCorpus.Verdict.WRONG || r.verdict() == FuzzCorpus.Verdict.CRASHED) {
                    bad.add(line);
                }
            }
        } finally {
            System.clearProperty(AvailableMemory.AVAILABLE_PROPERTY);
        }
        String summary = FuzzCorpus.summary(results);
        System.out.println(summary);
        assertEquals(List.of(), bad, summary);
    }
}
