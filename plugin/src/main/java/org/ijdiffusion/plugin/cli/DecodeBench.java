package org.ijdiffusion.plugin.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.ijdiffusion.diffusion.nn.vae.Vae;
import org.ijdiffusion.diffusion.nn.vae.VaeFlops;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.util.ProcessMemory;

/**
 * {@code bench --decode-only}: one VAE decode of a random latent for an image of the given size, the
 * way generation decodes (exact up to {@link Vae#TILED_ABOVE_LATENT_PIXELS} latent pixels, in tiles
 * above), with its time, GFLOP/s and the peak resident memory of the process. For sizes whose UNet
 * steps would take too long to bench (2048x2048).
 */
final class DecodeBench {
    private DecodeBench() {
    }

    static void run(SdModel sd, int width, int height, double load, PrintStream out) {
        Vae vae = sd.vae();
        long h = height / vae.config().downscale();
        long w = width / vae.config().downscale();
        double rssBefore = ProcessMemory.rssBytes() / 1e6;
        double seconds;
        try (NDManager m = sd.manager().newSubManager()) {
            Engine.getInstance().setRandomSeed(42);
            NDArray z = m.randomNormal(new Shape(1, vae.config().zChannels(), h, w));
            long t = System.nanoTime();
            NDArray image = vae.decodeBounded(z);
            image.get(0, 0, 0, 0).getFloat();
            seconds = BenchCommand.secs(t);
        }
        boolean tiled = h * w > Vae.TILED_ABOVE_LATENT_PIXELS;
        double taesd = sd.taesd() == null ? Double.NaN : taesdSeconds(sd, width, height);
        double gflop = VaeFlops.decode(vae.config(), 1, h, w).total() / 1e9;
        double peak = ProcessMemory.peakRssBytes() / 1e6;
        out.printf(Locale.ROOT, "load            %8.3f s%n", load);
        out.printf(Locale.ROOT, "vae decode      %8.3f s  %dx%d, %s (%.1f GFLOP counted as one untiled decode: %.1f GFLOP/s)%n",
                seconds, width, height, tiled ? "tiled " + Vae.BOUNDED_TILE + "/" + Vae.BOUNDED_OVERLAP + " latents"
                        : "exact", gflop, gflop / seconds);
        if (sd.taesd() != null) {
            out.printf(Locale.ROOT, "taesd decode    %8.3f s  %dx%d, %s%n", taesd, width, height, sd.taesd().layout());
        }
        out.printf(Locale.ROOT, "rss             %8.1f MB before the decode, peak %.1f MB%n", rssBefore, peak);
        out.printf(Locale.ROOT, "{\"width\":%d,\"height\":%d,\"decode_only\":true,\"tiled\":%b,\"load_s\":%.3f,"
                + "\"vae_decode_s\":%.3f,\"rss_before_mb\":%.1f,\"peak_rss_mb\":%.1f,\"taesd_decode_s\":%s}%n",
                width, height, tiled, load, seconds, rssBefore, peak, json(taesd));
    }

    /** Best of three TAESD decodes of a random latent for one width x height image (the first run warms up). */
    static double taesdSeconds(SdModel sd, int width, int height) {
        long h = height / sd.vae().config().downscale();
        long w = width / sd.vae().config().downscale();
        try (NDManager m = sd.manager().newSubManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray z = m.randomNormal(new Shape(1, sd.taesd().latentChannels(), h, w));
            sd.taesd().decode(z).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                NDArray image = sd.taesd().decode(z);
                image.get(0, 0, 0, 0).getFloat();
                best = Math.min(best, BenchCommand.secs(t));
                image.close();
            }
            return best;
        }
    }

    /** Writing the result's PNGs (with their parameters chunk) to a temporary file, as generate does; seconds. */
    static double pngSeconds(org.ijdiffusion.diffusion.pipeline.GenerationResult result) {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ij-diffusion-bench");
            long t = System.nanoTime();
            List<java.nio.file.Path> written = GenerateCommand.write(result, dir.resolve("bench.png"));
            double s = BenchCommand.secs(t);
            for (java.nio.file.Path p : written) {
                java.nio.file.Files.deleteIfExists(p);
            }
            java.nio.file.Files.deleteIfExists(dir);
            return s;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** CPU time of this process so far (all threads), seconds; NaN where the JVM cannot tell. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    /** A number for the JSON line, or null. */
    static String json(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }
}
