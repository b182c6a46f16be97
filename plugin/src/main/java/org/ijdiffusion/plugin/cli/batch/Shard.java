package org.ijdiffusion.plugin.cli.batch;

import java.util.Map;
import org.ijdiffusion.plugin.cli.UsageException;

/**
 * A slice of a batch: shard {@code i} of {@code n} (0-based) holds the jobs k with k mod n = i.
 * From {@code --shard i/n}, else from a SLURM job array (i = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
 * SLURM_ARRAY_TASK_STEP, n = SLURM_ARRAY_TASK_COUNT), else 0/1 (everything).
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

    /**
     * {@code --shard} when given, else the SLURM array task in {@code env} (i = (SLURM_ARRAY_TASK_ID -
     * SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, n = SLURM_ARRAY_TASK_COUNT; MIN default 0, STEP 1),
     * else 0/1. An array task whose variables give no shard is refused (never silently all jobs).
     */
    public static Shard of(String option, Map<String, String> env) {
        if (option != null) {
            return parse(option);
        }
        String id = env.get("SLURM_ARRAY_TASK_ID");
        String count = env.get("SLURM_ARRAY_TASK_COUNT");
        if (id == null && count == null) {
            return new Shard(0, 1);
        }
        String min = env.getOrDefault("SLURM_ARRAY_TASK_MIN", "0");
        String step = env.getOrDefault("SLURM_ARRAY_TASK_STEP", "1");
        String task = "the SLURM array task (SLURM_ARRAY_TASK_ID " + id + ", _MIN " + min + ", _STEP " + step
                + ", _COUNT " + count + ")";
        if (id == null || count == null) {
            throw new UsageException(task + " lacks the ID or COUNT: give --shard i/n");
        }
        try {
            int offset = Integer.parseInt(id.trim()) - Integer.parseInt(min.trim());
            int by = Integer.parseInt(step.trim());
            if (by < 1 || offset % by != 0) {
                throw new UsageException(task + " is no shard i/n: give --shard i/n");
            }
            return new Shard(offset / by, Integer.parseInt(count.trim()));
        } catch (NumberFormatException e) {
            throw new UsageException(task + ": not numbers; give --shard i/n");
        } catch (UsageException e) {
            throw new UsageException(task + " is no shard i/n with 0 <= i < n: use an --array range (e.g. 0-3 or "
                    + "1-9:2), or give --shard i/n");
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
