package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --grid: the cross product in the documented order (prompt, seed, cfg, steps, sampler; the first slowest). */
class GridOrderTest {
    private static final Path MODEL = Path.of("/m.safetensors");

    @Test
    void fiveAxesNestPromptSeedCfgStepsSamplerTheFirstSlowest() {
        RawJob line = JobFile.jsonLines("{\"sampler\": [\"euler\", \"ddim\"], \"steps\": [2, 3], \"cfg\": [5, 7.5],"
                + " \"seed\": [1, 2], \"prompt\": [\"A\", \"B\"], \"width\": 64}").get(0);
        List<Grid.Point> points = Grid.expand(List.of(line), true);
        assertEquals(32, points.size());
        List<String> expected = new ArrayList<>();
        for (String p : List.of("A", "B")) {
            for (String seed : List.of("1", "2")) {
                for (String cfg : List.of("5", "7.5")) {
                    for (String steps : List.of("2", "3")) {
                        for (String sampler : List.of("euler", "ddim")) {
                            expected.add(p + "/" + seed + "/" + cfg + "/" + steps + "/" + sampler);
                        }
                    }
                }
            }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, Object> v = points.get(i).job().values();
            got.add(v.get("prompt") + "/" + v.get("seed") + "/" + v.get("cfg") + "/" + v.get("steps") + "/"
                    + v.get("sampler"));
            assertEquals(i, points.get(i).sub());
            assertEquals("64", v.get("width"), "other keys stay");
        }
        assertEquals(expected, got, "written in another key order, nested in the documented one");
    }

    @Test
    void expandedJobsAreNumberedAfterExpansionAndNamedLineDashPoint() {
        List<RawJob> lines = JobFile.jsonLines("{\"prompt\": \"x\", \"seed\": 9}\n\n"
                + "{\"prompt\": [\"a\", \"b\"], \"seed\": [1, 2], \"name\": \"g\"}\n"
                + "{\"prompt\": \"y\", \"seed\": [3, 4, 5]}\n");
        List<Job> jobs = Jobs.of(lines, null, MODEL, true, new OutputNames("{index}_{name}_{seed}"));
        assertEquals(List.of("0000_0000_9", "0001_g-0_1", "0002_g-1_2", "0003_g-2_1", "0004_g-3_2", "0005_0002-0_3",
                "0006_0002-1_4", "0007_0002-2_5"), jobs.stream().map(Job::stem).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), jobs.stream().map(Job::index).toList());
        assertEquals(List.of(1, 3, 3, 3, 3, 4, 4, 4), jobs.stream().map(Job::line).toList());
        assertEquals("b", jobs.get(3).prompt());
    }

    @Test
    void withoutGridAListOfAnAxisFailsItsJobAndAListOfAnotherKeyIsNoAxis() {
        List<RawJob> lines = JobFile.jsonLines("{\"prompt\": \"x\", \"seed\": [1, 2]}\n"
                + "{\"prompt\": \"x\", \"seed\": 1, \"width\": [64, 128]}\n");
        List<Job> plain = Jobs.of(lines, null, MODEL, false, new OutputNames(OutputNames.DEFAULT));
        assertEquals(2, plain.size());
        assertTrue(plain.get(0).error().contains("\"seed\" is a list: give --grid"), plain.get(0).error());
        List<Job> grid = Jobs.of(lines, null, MODEL, true, new OutputNames(OutputNames.DEFAULT));
        assertEquals(3, grid.size(), "width is no grid axis");
        assertNull(grid.get(0).error());
        assertTrue(grid.get(2).error().contains("\"width\" is a list; it takes one value"), grid.get(2).error());
    }
}
