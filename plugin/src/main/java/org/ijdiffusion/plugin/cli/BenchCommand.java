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
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.ijdiffusion.plugin.io.OutputFiles;
import org.ijdiffusion.diffusion.nn.FusedOps;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.unet.UnetFlops;
import org.ijdiffusion.diffusion.nn.vae.Vae;
import org.ijdiffusion.diffusion.nn.vae.VaeFlops;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.text.PromptChunker;
import org.ijdiffusion.diffusion.text.PromptConditioner;
import org.ijdiffusion.diffusion.util.ProcessMemory;

/**
 * {@code ij-diffusion bench}: per-stage times (load, text encode, UNet step mean, VAE decode), it/s,
 * peak resident memory, the achieved GFLOP/s of the UNet step and the VAE decode ({@link UnetFlops},
 * {@link VaeFlops}), and the float32 2048^3 matmul rate of this machine measured in the same run, through
 * libtorch's matmul (MKL) and through {@link Ops#linear} (oneDNN with the fused kernels); the step's
 * rate is reported as a fraction of the faster. The last line is one JSON object. A benchmark, not a test.
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
                + "    [--cfg F] [--schedule default|trailing] [--eta F] [--whole] [--taesd FILE|FOLDER]\n"
                + "  prints load, text encode, UNet step mean, VAE decode, it/s, peak RSS, the GFLOP/s of the UNet\n"
                + "  step and the VAE decode, and this machine's fp32 matmul rate; the last line is one JSON object\n"
                + "  --profile FILE  also write libtorch's per-op trace of the generation (chrome://tracing JSON)\n"
                + "  --decode-only   time one VAE decode of a random latent at this size (tiled above 512x768)\n"
                + "  --precision P   fp32 (default) or bf16; fp32,bf16: both loaded, the UNet step and the VAE decode\n"
                + "                  timed in alternation over --steps rounds, with bf16's agreement with fp32\n"
                + "  --cfg F         guidance scale (default 7.5); 1 or less runs one UNet call per step, no negative prompt\n"
                + "  --whole         also time the whole picture as generate makes it: text encoder, all steps, decode, PNG\n"
                + "  --taesd PATH    also time one TAESD decode of a latent of this size (and with --decode-only)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws java.io.IOException {
        {
            Args a = Args.parse(name(), args, Set.of("model", "vae", "width", "height", "steps", "batch", "sampler", "prompt", "profile",
                    "precision", "cfg", "schedule", "eta", "taesd"), Set.of("decode-only", "whole"));
            int steps = a.integer("steps", 10);
            GenerationRequest request = GenerationRequest.builder()
                    .prompt(a.get("prompt", "a photograph of an astronaut riding a horse"))
                    .size(a.integer("width", 512), a.integer("height", 512))
                    .steps(steps).cfg(a.number("cfg", 7.5)).seed(42).batch(a.integer("batch", 1))
                    .sampler(GenerateCommand.sampler(a.get("sampler", "euler")))
                    .spacing(GenerateCommand.spacing(a.get("schedule", "default")))
                    .eta(a.has("eta") ? a.number("eta", 0) : null)
                    .build();
            String profile = a.get("profile", null);
            if (profile != null) {
                checkWritable(profile);
            }
            new CommandFiles().input(a, "model").input(a, "vae").output(a, "profile").check();
            if (a.get("precision", "").contains(",")) {
                PrecisionBench.run(a.requirePath("model"), a.path("vae"), request, steps, out);
                return Main.OK;
            }
            Precision precision = GenerateCommand.precision(a);
            long t0 = System.nanoTime();
            try (SdModel sd = SdModel.load(a.requirePath("model"), a.path("vae"), List.of(), precision)) {
                out.println("precision       " + precision.label() + (precision == Precision.FP32 ? ""
                        : " (UNet, VAE; text encoder fp32; CPU bf16: " + CpuFeatures.current().bf16Summary() + ")"));
                if (a.has("taesd")) {
                    sd.useTaesd(a.path("taesd"));
                }
                double load = secs(t0);
                if (a.has("decode-only")) {
                    DecodeBench.run(sd, request.width(), request.height(), load, out);
                    return Main.OK;
                }
                Timing timing = new Timing();
                if (profile != null) {
                    JniUtils.startProfile(false, true, false);
                }
                long t1 = System.nanoTime();
                double cpu0 = DecodeBench.cpuSeconds();
                org.ijdiffusion.diffusion.pipeline.GenerationResult result = new Pipeline(sd).generate(request, timing);
                double total = secs(t1);
                double png = a.has("whole") ? DecodeBench.pngSeconds(result) : Double.NaN;
                double whole = total + png;
                double wholeCpu = DecodeBench.cpuSeconds() - cpu0;
                // read now: the decode stage's time runs until it is read
                double decode = timing.decode();
                if (profile != null) {
                    // libtorch writes the trace itself: to a temporary name, then renamed into place whole
                    OutputFiles.writeVia(java.nio.file.Path.of(profile), tmp -> JniUtils.stopProfile(tmp.toString()));
                    out.println("profile         " + profile + " (libtorch per-op trace, chrome://tracing format)");
                }
                double unetMean = timing.meanStep();
                double mkl = matmulGflops(sd.manager(), NDArray::matMul);
                // the same product as a linear layer (x w^T): oneDNN when the fused kernels are in use
                double linear = matmulGflops(sd.manager(), (x, w) -> Ops.linear(x, w, null));
                double matmul = Math.max(mkl, linear);
                Work work = Work.of(sd, request);
                double unetRate = work.unetFlop / unetMean / 1e9;
                double vaeRate = work.vaeFlop / decode / 1e9;
                out.printf(Locale.ROOT, "load            %8.3f s%n", load);
                out.printf(Locale.ROOT, "text encode     %8.3f s%n", timing.textEncode);
                out.printf(Locale.ROOT, "unet step       %8.3f s  (%d steps, %.3f it/s, %.1f GFLOP/s = %.1f %% of the matmul rate)%n",
                        unetMean, timing.steps.size(), 1 / unetMean, unetRate, 100 * unetRate / matmul);
                out.printf(Locale.ROOT, "unet step 1     %8.3f s  (warm-up, left out of the mean: also copies the UNet weights from the file%n"
                        + "                            into memory at their first use)%n", timing.steps.get(0));
                out.printf(Locale.ROOT, "vae decode      %8.3f s  (%.1f GFLOP/s = %.1f %% of the matmul rate%s)%n", decode,
                        vaeRate, 100 * vaeRate / matmul, work.vaeTiled ? "; tiled decode, counted as one untiled" : "");
                out.printf(Locale.ROOT, "total           %8.3f s  (%s, %d steps, cfg %s: %d UNet call%s per step)%n", total,
                        request.sampler().label(), steps, org.ijdiffusion.diffusion.pipeline.Infotext.number(request.cfg()),
                        request.guided() ? 2 : 1, request.guided() ? "s" : "");
                if (a.has("whole")) {
                    out.printf(Locale.ROOT, "whole picture   %8.3f s  (text encoder, all steps, decode, PNG %.3f s; process CPU "
                            + "time %.1f s: on a busy shared machine the wall time is inflated, the CPU time much less)%n",
                            whole, png, wholeCpu);
                }
                double taesd = sd.taesd() == null ? Double.NaN : DecodeBench.taesdSeconds(sd, request.width(), request.height());
                if (sd.taesd() != null) {
                    out.printf(Locale.ROOT, "taesd decode    %8.3f s  (one %dx%d image, %s; VAE decode %.3f s)%n", taesd,
                            request.width(), request.height(), sd.taesd().layout(), decode);
                }
                out.printf(Locale.ROOT, "peak rss        %8.1f MB%n", ProcessMemory.peakRssBytes() / 1e6);
                out.printf(Locale.ROOT, "rss after steps %s MB (step 1, middle, last)%n", timing.rssSummary());
                out.printf(Locale.ROOT, "flop            %8.3f GFLOP per UNet step (batch %d, latent %dx%d, context %d), %.3f GFLOP VAE decode%n",
                        work.unetFlop / 1e9, work.unetBatch, work.latentWidth, work.latentHeight,
                        work.contextLength, work.vaeFlop / 1e9);
                out.printf(Locale.ROOT, "matmul fp32 %-14s %8.1f GFLOP/s (2048^3, this run)%n", "(libtorch MKL)", mkl);
                out.printf(Locale.ROOT, "matmul fp32 %-14s %8.1f GFLOP/s (2048^3 through Ops.linear, this run)%n",
                        FusedOps.available() ? "(oneDNN)" : "(" + FusedOps.describe() + ")", linear);
                out.printf(Locale.ROOT,
                        "{\"precision\":\"" + precision.label() + "\",\"width\":%d,\"height\":%d,\"steps\":%d,\"batch\":%d,\"load_s\":%.3f,\"text_encode_s\":%.3f,"
                        + "\"unet_step_mean_s\":%.4f,\"unet_first_step_s\":%.3f,\"it_per_s\":%.4f,\"vae_decode_s\":%.3f,\"total_s\":%.3f,"
                        + "\"peak_rss_mb\":%.1f,\"unet_gflop\":%.3f,\"unet_gflops\":%.1f,\"vae_gflops\":%.1f,"
                        + "\"matmul_gflops\":%.1f,\"matmul_mkl_gflops\":%.1f,\"matmul_onednn_gflops\":%s,"
                        + "\"rss_step_first_mb\":%.1f,\"rss_step_last_mb\":%.1f%s}%n",
                        request.width(), request.height(), steps, request.batch(), load, timing.textEncode, unetMean,
                        timing.steps.get(0),
                        1 / unetMean, decode, total, ProcessMemory.peakRssBytes() / 1e6, work.unetFlop / 1e9,
                        unetRate, vaeRate, matmul, mkl,
                        FusedOps.available() ? String.format(Locale.ROOT, "%.1f", linear) : "null",
                        timing.rssMb.get(0), timing.rssMb.get(timing.rssMb.size() - 1),
                        String.format(Locale.ROOT, ",\"sampler\":\"%s\",\"cfg\":%s,\"unet_calls_per_step\":%d,\"whole_s\":%s,"
                                + "\"whole_cpu_s\":%s,\"taesd_decode_s\":%s", request.sampler().cliName(),
                                org.ijdiffusion.diffusion.pipeline.Infotext.number(request.cfg()), request.guided() ? 2 : 1,
                                DecodeBench.json(whole), DecodeBench.json(a.has("whole") ? wholeCpu : Double.NaN),
                                DecodeBench.json(taesd)));
            }
            return Main.OK;
        }
    }

    /** Before a long run: the trace file's folder must exist and be writable. */
    private static void checkWritable(String file) {
        java.nio.file.Path folder = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        if (folder == null || !java.nio.file.Files.isDirectory(folder) || !java.nio.file.Files.isWritable(folder)) {
            throw new UsageException("--profile " + file + ": the folder " + folder
                    + " does not exist or is not writable. Give a path in a writable folder.");
        }
    }

    static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Best of three 2048x2048x2048 float32 products {@code product(x, y)} (a matmul, or a linear layer
     * x y^T: the same FLOP), in GFLOP/s: the ceiling the UNet step is compared with.
     */
    static double matmulGflops(NDManager parent, BinaryOperator<NDArray> product) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(2048, 2048));
            NDArray y = m.randomUniform(-1, 1, new Shape(2048, 2048));
            product.apply(x, y).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                NDArray z = product.apply(x, y);
                z.toFloatArray();
                best = Math.min(best, secs(t));
                z.close();
            }
            return 2.0 * 2048 * 2048 * 2048 / best / 1e9;
        }
    }

    /** What one step and the decode compute for this request (the counts are the diffusion module's). */
    record Work(long unetBatch, long latentWidth, long latentHeight, long contextLength, long unetFlop, long vaeFlop,
            boolean vaeTiled) {
        static Work of(SdModel sd, GenerationRequest r) {
            long h = r.height() / sd.vae().config().downscale();
            long w = r.width() / sd.vae().config().downscale();
            // with guidance the pipeline runs uncond and cond in one batch
            long batch = r.guided() ? 2L * r.batch() : r.batch();
            PromptConditioner c = sd.conditioner();
            // without guidance the negative prompt is not encoded: the context is the prompt's alone
            long chunks = Math.max(1, r.guided() ? Math.max(c.chunks(r.prompt()).size(), c.chunks(r.negativePrompt()).size())
                    : c.chunks(r.prompt()).size());
            long context = (PromptChunker.CHUNK_TOKENS + 2) * chunks;
            return new Work(batch, w, h, context, UnetFlops.of(sd.unet().config(), batch, h, w, context).total(),
                    VaeFlops.decode(sd.vae().config(), r.batch(), h, w).total(),
                    h * w > Vae.TILED_ABOVE_LATENT_PIXELS);
        }
    }

    /** Collects stage and step times from the pipeline's listener. */
    static final class Timing implements ProgressListener {
        final List<Double> steps = new ArrayList<>();
        /** Resident memory after each step, MB (flat across steps: no growth). */
        final List<Double> rssMb = new ArrayList<>();
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
            rssMb.add(ProcessMemory.rssBytes() / 1e6);
        }

        String rssSummary() {
            int n = rssMb.size();
            return String.format(Locale.ROOT, "%.0f, %.0f, %.0f", rssMb.get(0), rssMb.get(n / 2), rssMb.get(n - 1));
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
