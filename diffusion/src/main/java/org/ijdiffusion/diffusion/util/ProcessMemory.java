package org.ijdiffusion.diffusion.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Resident memory of this process from /proc/self/status (Linux); -1 where not available. */
public final class ProcessMemory {
    private static final Path STATUS = Paths.get("/proc/self/status");

    private ProcessMemory() {
    }

    /** Current resident set size in bytes (VmRSS). */
    public static long rssBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes (VmHWM). */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
