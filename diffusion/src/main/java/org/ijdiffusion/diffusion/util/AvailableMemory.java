package org.ijdiffusion.diffusion.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * How much memory this process may still grow to use, and the one refusal every command gives when
 * a run would need more ("needs ~X GB, Y GB available").
 *
 * <p>Available = what the process holds now (resident) plus the smaller of the system's
 * {@code MemAvailable} (/proc/meminfo) and what the cgroup limit leaves (cgroup v2
 * {@code memory.max - memory.current}, or v1 {@code memory.limit_in_bytes - memory.usage_in_bytes}).
 * Where none can be read (not Linux) the check is skipped. {@code -Dijdiffusion.memory.check=false}
 * turns it off; {@code -Dijdiffusion.memory.available=BYTES} fixes the figure (tests, or to refuse
 * earlier on a shared machine).
 */
public final class AvailableMemory {
    public static final String CHECK_PROPERTY = "ijdiffusion.memory.check";
    public static final String AVAILABLE_PROPERTY = "ijdiffusion.memory.available";

    private AvailableMemory() {
    }

    /** Bytes this process may reach in total, or -1 when unknown. */
    public static long bytes() {
        String fixed = System.getProperty(AVAILABLE_PROPERTY);
        if (fixed != null) {
            return Long.parseLong(fixed.trim());
        }
        long system = meminfo("MemAvailable:");
        long cgroup = cgroupHeadroom();
        long free = system < 0 ? cgroup : cgroup < 0 ? system : Math.min(system, cgroup);
        if (free < 0) {
            return -1;
        }
        long rss = ProcessMemory.rssBytes();
        return free + Math.max(0, rss);
    }

    /** Whether the checks are on (they are unless {@code -Dijdiffusion.memory.check=false}). */
    public static boolean checking() {
        return !"false".equalsIgnoreCase(System.getProperty(CHECK_PROPERTY, "true").trim());
    }

    /**
     * Throws an {@link IllegalArgumentException} (bad input: exit 2) when {@code neededBytes} exceeds what is
     * available. {@code what} names the run ("512x512, batch 1"), {@code breakdown} the big parts,
     * {@code advice} what to change.
     */
    public static void require(long neededBytes, String what, String breakdown, String advice) {
        if (!checking()) {
            return;
        }
        long available = bytes();
        if (available >= 0 && neededBytes > available) {
            throw new IllegalArgumentException(what + " needs ~" + gb(neededBytes) + " GB of memory (" + breakdown
                    + "), " + gb(available) + " GB available; " + advice + ".");
        }
    }

    /** A Java-heap variant: host arrays (images) beyond what {@code -Xmx} allows are refused the same way. */
    public static void requireHeap(long neededBytes, String what) {
        if (!checking()) {
            return;
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (neededBytes > free) {
            throw new IllegalArgumentException(what + " needs ~" + gb(neededBytes) + " GB of Java heap for its image"
                    + " arrays, " + gb(free) + " GB free under the heap limit; use a smaller size (or raise the limit:"
                    + " IJD_JAVA_OPTS=-Xmx...).");
        }
    }

    public static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e9);
    }

    private static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long cgroupHeadroom() {
        long v2 = headroom(Paths.get("/sys/fs/cgroup/memory.max"), Paths.get("/sys/fs/cgroup/memory.current"));
        if (v2 >= 0) {
            return v2;
        }
        return headroom(Paths.get("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                Paths.get("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
    }

    private static long headroom(Path limitFile, Path usageFile) {
        try {
            List<String> limit = Files.readAllLines(limitFile);
            List<String> usage = Files.readAllLines(usageFile);
            if (limit.isEmpty() || usage.isEmpty() || limit.get(0).trim().equals("max")) {
                return -1;
            }
            long l = Long.parseLong(limit.get(0).trim());
            if (l >= Long.MAX_VALUE / 2) {
                return -1; // v1's "no limit"
            }
            return Math.max(0, l - Long.parseLong(usage.get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
