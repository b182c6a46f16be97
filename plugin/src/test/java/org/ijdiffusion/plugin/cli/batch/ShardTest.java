package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.plugin.cli.UsageException;
import org.junit.jupiter.api.Test;

/** Shards: every job in exactly one of i/n for i = 0..n-1, always the same one; defaults from SLURM arrays. */
class ShardTest {
    @Test
    void theShardsOfABatchHoldEveryJobExactlyOnceAndAlwaysTheSame() {
        for (int n = 1; n <= 7; n++) {
            int[] holders = new int[50];
            List<List<Integer>> slices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Integer> mine = new ArrayList<>();
                for (int k = 0; k < holders.length; k++) {
                    if (new Shard(i, n).holds(k)) {
                        holders[k]++;
                        mine.add(k);
                    }
                }
                slices.add(mine);
            }
            for (int k = 0; k < holders.length; k++) {
                assertEquals(1, holders[k], "job " + k + " of shards of " + n);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(slices.get(i), slice(Shard.parse(" " + i + " / " + n), holders.length), "deterministic");
            }
        }
        assertEquals(List.of(1, 4, 7, 10), slice(new Shard(1, 3), 12), "job k in shard k mod n");
    }

    private static List<Integer> slice(Shard s, int jobs) {
        List<Integer> l = new ArrayList<>();
        for (int k = 0; k < jobs; k++) {
            if (s.holds(k)) {
                l.add(k);
            }
        }
        return l;
    }

    @Test
    void badShardsAreRefused() {
        for (String bad : List.of("3/3", "-1/2", "0/0", "1", "a/b", "1/2/3")) {
            assertThrows(UsageException.class, () -> Shard.parse(bad), bad);
        }
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsFromSlurmArraysIncludingArraysNotStartingAtZeroOrWithASteps() {
        assertEquals(new Shard(0, 1), Shard.of(null, env()), "no array: everything");
        assertEquals(new Shard(2, 4), Shard.of(null, env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4")));
        assertEquals(new Shard(0, 8), Shard.of(null, env("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "1",
                "SLURM_ARRAY_TASK_COUNT", "8")), "--array=1-8, task 1");
        assertEquals(new Shard(7, 8), Shard.of(null, env("SLURM_ARRAY_TASK_ID", "8", "SLURM_ARRAY_TASK_MIN", "1",
                "SLURM_ARRAY_TASK_COUNT", "8")), "--array=1-8, task 8");
        assertEquals(new Shard(3, 8), Shard.of(null, env("SLURM_ARRAY_TASK_ID", "6", "SLURM_ARRAY_TASK_MIN", "0",
                "SLURM_ARRAY_TASK_STEP", "2", "SLURM_ARRAY_TASK_COUNT", "8")), "--array=0-14:2, task 6");
        assertEquals(new Shard(1, 3), Shard.of("1/3", env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "4")),
                "--shard wins");
    }

    @Test
    void anArrayTaskThatGivesNoShardIsRefusedNotRunAsEverything() {
        List<Map<String, String>> bad = List.of(
                env("SLURM_ARRAY_TASK_ID", "3"), // no COUNT
                env("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "3"), // 1,4,5
                env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_STEP", "2", "SLURM_ARRAY_TASK_COUNT", "4"),
                env("SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_COUNT", "4"));
        for (Map<String, String> e : bad) {
            UsageException u = assertThrows(UsageException.class, () -> Shard.of(null, e), e.toString());
            assertTrue(u.getMessage().contains("SLURM_ARRAY_TASK_ID " + e.get("SLURM_ARRAY_TASK_ID"))
                    && u.getMessage().contains("--shard i/n"), u.getMessage());
        }
    }
}
