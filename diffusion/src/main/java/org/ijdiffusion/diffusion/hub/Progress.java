package org.ijdiffusion.diffusion.hub;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and times for progress lines (CLI and ImageJ status bar). */
public final class Progress {
    private Progress() {
    }

    /** {@code 1.23 GB}, {@code 722.6 MB}, {@code 12 KB}, {@code 512 B} (decimal units, as Hugging Face shows them). */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f KB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }

    /** {@code 12.3 MB/s}. */
    public static String rate(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }

    /** {@code 0:42}, {@code 1:02:03}, or {@code --:--} when unknown. */
    public static String eta(long remainingBytes, double bytesPerSecond) {
        if (bytesPerSecond <= 0 || remainingBytes < 0) {
            return "--:--";
        }
        long s = (long) Math.ceil(remainingBytes / bytesPerSecond);
        if (s >= 100L * 3600) {
            return "--:--";
        }
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** {@code 1.20 GB / 2.13 GB  56%  34.5 MB/s  ETA 0:27}. */
    public static String line(long done, long total, double bytesPerSecond) {
        int pct = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
        return bytes(done) + " / " + bytes(total) + "  " + pct + "%  " + rate(bytesPerSecond) + "  ETA "
                + eta(total - done, bytesPerSecond);
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
