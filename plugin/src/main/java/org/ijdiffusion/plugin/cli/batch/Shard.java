package org.ijdiffusion.plugin.cli.batch;

import java.util.Map;
import org.ijdiffusion.plugin.cli.UsageException;

/**
 * A slice of a batch: shard {@code i} of {@code n} (0-based) holds the jobs k with k mod n = i.
 * From {@code --shard i/n}, else from a SLURM job array (i = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN,
 * n = SLURM_ARRAY_TASK_COUNT), else 0/1 (everything).
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new UsageException("--shard i/n needs 0 <= i < n (got " + index + "/" + count + ")");
        }
    }

    public boolean holds(int job) {
        return job % count == index;
    }

    public static Shard parse(String s) {
        String[] p = s.trim().split("/");
        try {
            if (p.length == 2) {
                return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--shard must be i/n, e.g. 0/4 (got '" + s + "')");
    }

    /** {@code --shard} when given, else the SLURM array task in {@code env}, else 0/1. */
    public static Shard of(String option, Map<String, String> env) {
        if (option != null) {
            return parse(option);
        }
        String id = env.get("SLURM_ARRAY_TASK_ID");
        String count = env.get("SLURM_ARRAY_TASK_COUNT");
        if (id == null || count == null) {
            return new Shard(0, 1);
        }
        try {
            int min = Integer.parseInt(env.getOrDefault("SLURM_ARRAY_TASK_MIN", "0").trim());
            return new Shard(Integer.parseInt(id.trim()) - min, Integer.parseInt(count.trim()));
        } catch (NumberFormatException e) {
            throw new UsageException("SLURM_ARRAY_TASK_ID/_COUNT/_MIN are not numbers (" + id + ", " + count + ")");
        } catch (UsageException e) {
            throw new UsageException("the SLURM array task (SLURM_ARRAY_TASK_ID " + id + ", _MIN "
                    + env.getOrDefault("SLURM_ARRAY_TASK_MIN", "0") + ", _COUNT " + count + ") is no shard i/n with "
                    + "0 <= i < n: use a contiguous --array range (e.g. 0-3), or give --shard i/n");
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
