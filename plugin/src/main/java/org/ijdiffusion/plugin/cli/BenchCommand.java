package org.ijdiffusion.plugin.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.util.ProcessMemory;

/**
 * {@code ij-diffusion bench}: per-stage times (load, text encode, UNet step mean, VAE decode), it/s,
 * peak resident memory, and the float32 matmul rate of this machine measured in the same run. The
 * last line is one JSON object. A benchmark, not a test.
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "time the stages of one generation (a benchmark, not a test)";
    }

    @Override
    public String usage() {
        return "Usage: ij-diffusion bench --model PATH [--width W --height H] [--steps N] [--batch N] [--sampler S]\n"
                + "  prints load, text encode, UNet step mean, VAE decode, it/s, peak RSS and this machine's fp32\n"
                + "  matmul rate; the last line is one JSON object\n"
                + "  --profile FILE  also write libtorch's per-op trace of the generation (chrome://tracing JSON)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        {
            Args a = Args.parse(name(), args, Set.of("model", "vae", "width", "height", "steps", "batch", "sampler", "prompt", "profile"), Set.of());
            int steps = a.integer("steps", 10);
            GenerationRequest request = GenerationRequest.builder()
                    .prompt(a.get("prompt", "a photograph of an astronaut riding a horse"))
                    .size(a.integer("width", 512), a.integer("height", 512))
                    .steps(steps).cfg(7.5).seed(42).batch(a.integer("batch", 1))
                    .sampler(GenerateCommand.sampler(a.get("sampler", "euler")))
                    .build();
            long t0 = System.nanoTime();
            try (SdModel sd = SdModel.load(a.requirePath("model"), a.path("vae"))) {
                double load = secs(t0);
                Timing timing = new Timing();
                String profile = a.get("profile", null);
                if (profile != null) {
                    JniUtils.startProfile(false, true, false);
                }
                long t1 = System.nanoTime();
                new Pipeline(sd).generate(request, timing);
                double total = secs(t1);
                if (profile != null) {
                    JniUtils.stopProfile(profile);
                    out.println("profile         " + profile + " (libtorch per-op trace, chrome://tracing format)");
                }
                double unetMean = timing.meanStep();
                double matmul = matmulGflops(sd.manager());
                out.printf(Locale.ROOT, "load            %8.3f s%n", load);
                out.printf(Locale.ROOT, "text encode     %8.3f s%n", timing.textEncode);
                out.printf(Locale.ROOT, "unet step mean  %8.3f s  (%d steps, %.3f it/s)%n", unetMean, timing.steps.size(), 1 / unetMean);
                out.printf(Locale.ROOT, "vae decode      %8.3f s%n", timing.decode());
                out.printf(Locale.ROOT, "total           %8.3f s%n", total);
                out.printf(Locale.ROOT, "peak rss        %8.1f MB%n", ProcessMemory.peakRssBytes() / 1e6);
                out.printf(Locale.ROOT, "matmul fp32     %8.1f GFLOP/s (2048^3, this run)%n", matmul);
                out.printf(Locale.ROOT,
                        "{\"width\":%d,\"height\":%d,\"steps\":%d,\"batch\":%d,\"load_s\":%.3f,\"text_encode_s\":%.3f,"
                        + "\"unet_step_mean_s\":%.4f,\"it_per_s\":%.4f,\"vae_decode_s\":%.3f,\"total_s\":%.3f,"
                        + "\"peak_rss_mb\":%.1f,\"matmul_gflops\":%.1f}%n",
                        request.width(), request.height(), steps, request.batch(), load, timing.textEncode, unetMean,
                        1 / unetMean, timing.decode(), total, ProcessMemory.peakRssBytes() / 1e6, matmul);
            }
            return Main.OK;
        }
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Best of three 2048x2048x2048 float32 matmuls, in GFLOP/s: the ceiling the UNet step is compared with. */
    static double matmulGflops(NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(2048, 2048));
            NDArray y = m.randomUniform(-1, 1, new Shape(2048, 2048));
            x.matMul(y).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                NDArray z = x.matMul(y);
                z.toFloatArray();
                best = Math.min(best, secs(t));
                z.close();
            }
            return 2.0 * 2048 * 2048 * 2048 / best / 1e9;
        }
    }

    /** Collects stage and step times from the pipeline's listener. */
    static final class Timing implements ProgressListener {
        final List<Double> steps = new ArrayList<>();
        double textEncode;
        private long stageStart = System.nanoTime();
        private String stage = "";

        @Override
        public void onStage(String s) {
            long now = System.nanoTime();
            if (stage.equals("Encoding prompt")) {
                textEncode = (now - stageStart) / 1e9;
            }
            stage = s;
            stageStart = now;
        }

        @Override
        public void onStep(int step, int total, double secondsPerStep, Supplier<FloatImage> preview) {
            if (stage.equals("Encoding prompt")) {
                // the prompt stage ends where the first step starts
                textEncode = (System.nanoTime() - stageStart) / 1e9 - secondsPerStep;
                stage = "Sampling";
            }
            steps.add(secondsPerStep);
        }

        double meanStep() {
            // the first step also carries warm-up; report the mean of the others when there are any
            List<Double> s = steps.size() > 1 ? steps.subList(1, steps.size()) : steps;
            return s.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double decode() {
            return stage.equals("Decoding") ? (System.nanoTime() - stageStart) / 1e9 : Double.NaN;
        }
    }
}
