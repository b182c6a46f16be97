package org.ijdiffusion.plugin.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.ijdiffusion.diffusion.nn.Agreement;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.diffusion.nn.unet.UnetFlops;
import org.ijdiffusion.diffusion.nn.vae.VaeFlops;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.util.ProcessMemory;

/**
 * {@code bench --precision fp32,bf16}: both precisions loaded side by side and timed in alternation
 * (fp32 step, bf16 step, fp32 step, ...) on the same inputs, so that a busy machine slows both alike:
 * the UNet at the request's size with the CFG batch (2 x batch) and the VAE decode, medians over the
 * rounds after a warm-up round, GFLOP/s, and how closely each bf16 output agrees with the fp32 one
 * (relative L2 error, cosine similarity). The peak RSS of one whole picture in a precision is what
 * {@code bench --precision bf16} (one model) reports, not this run (two models).
 */
final class PrecisionBench {
    private PrecisionBench() {
    }

    /** One stage timed in both precisions: times per round (warm-up excluded) and the last outputs' agreement. */
    private record Stage(List<Double> fp32, List<Double> bf16, Agreement agreement) {
        double median(List<Double> t) {
            List<Double> s = new ArrayList<>(t);
            s.sort(null);
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }
    }

    static void run(Path model, Path vae, GenerationRequest r, int rounds, PrintStream out) {
        long t0 = System.nanoTime();
        try (SdModel fp = SdModel.load(model, vae, List.of(), Precision.FP32);
                SdModel bf = SdModel.load(model, vae, List.of(), Precision.BF16);
                NDManager m = fp.manager().newSubManager()) {
            double load = BenchCommand.secs(t0);
            int f = fp.vae().config().downscale();
            long h = r.height() / f;
            long w = r.width() / f;
            long batch = r.guided() ? 2L * r.batch() : r.batch();
            Engine.getInstance().setRandomSeed(42);
            NDArray x = m.randomNormal(new Shape(batch, fp.unet().config().inChannels(), h, w));
            NDArray ctx = fp.conditioner().encode(r.prompt(), 1, m).embedding();
            if (ctx.getShape().get(0) != batch) {
                ctx = ctx.repeat(0, batch / ctx.getShape().get(0));
            }
            NDArray context = ctx;
            NDArray z = m.randomNormal(new Shape(r.batch(), fp.vae().config().zChannels(), h, w));
            Stage unet = alternate(rounds, m, sd -> sd.unet().forward(x, 500f, context, null, null), fp, bf);
            Stage decode = alternate(rounds, m, sd -> sd.vae().decodeBounded(z), fp, bf);
            double unetGflop = UnetFlops.of(fp.unet().config(), batch, h, w, context.getShape().get(1)).total() / 1e9;
            double vaeGflop = VaeFlops.decode(fp.vae().config(), r.batch(), h, w).total() / 1e9;
            out.printf(Locale.ROOT, "precision       fp32 and bf16 side by side, alternating, %d rounds after a warm-up; medians%n",
                    rounds);
            out.printf(Locale.ROOT, "load both       %8.3f s%n", load);
            report(out, "unet step", unet, unetGflop, String.format(Locale.ROOT, "batch %d, %dx%d latent, t=500", batch, w, h));
            report(out, "vae decode", decode, vaeGflop, String.format(Locale.ROOT, "batch %d, %dx%d", r.batch(), r.width(),
                    r.height()));
            out.printf(Locale.ROOT, "peak rss        %8.1f MB (both models loaded)%n", ProcessMemory.peakRssBytes() / 1e6);
            out.printf(Locale.ROOT, "{\"width\":%d,\"height\":%d,\"batch\":%d,\"rounds\":%d,"
                    + "\"unet_step_fp32_s\":%.4f,\"unet_step_bf16_s\":%.4f,\"unet_bf16_rel_l2\":%.3e,\"unet_bf16_cosine\":%.6f,"
                    + "\"vae_decode_fp32_s\":%.4f,\"vae_decode_bf16_s\":%.4f,\"vae_bf16_rel_l2\":%.3e,\"vae_bf16_cosine\":%.6f}%n",
                    r.width(), r.height(), r.batch(), rounds, unet.median(unet.fp32()), unet.median(unet.bf16()),
                    unet.agreement().relativeL2(), unet.agreement().cosine(), decode.median(decode.fp32()),
                    decode.median(decode.bf16()), decode.agreement().relativeL2(), decode.agreement().cosine());
        }
    }

    /** Runs {@code op} on fp32 then bf16, {@code rounds + 1} times (the first is warm-up). */
    private static Stage alternate(int rounds, NDManager m, Function<SdModel, NDArray> op, SdModel fp, SdModel bf) {
        List<Double> tf = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        Agreement agreement = null;
        for (int i = 0; i <= rounds; i++) {
            try (NDManager step = m.newSubManager()) {
                float[][] outs = new float[2][];
                for (int p = 0; p < 2; p++) {
                    long t = System.nanoTime();
                    NDArray y = op.apply(p == 0 ? fp : bf);
                    y.tempAttach(step);
                    outs[p] = y.toFloatArray();
                    double s = BenchCommand.secs(t);
                    if (i > 0) {
                        (p == 0 ? tf : tb).add(s);
                    }
                }
                agreement = Agreement.of(outs[0], outs[1]);
            }
        }
        return new Stage(tf, tb, agreement);
    }

    private static void report(PrintStream out, String what, Stage s, double gflop, String shape) {
        double f = s.median(s.fp32());
        double b = s.median(s.bf16());
        out.printf(Locale.ROOT, "%-15s fp32 %8.3f s (%.1f GFLOP/s)  bf16 %8.3f s (%.1f GFLOP/s)  %.2fx  [%s]%n", what, f,
                gflop / f, b, gflop / b, f / b, shape);
        out.printf(Locale.ROOT, "%-15s fp32 rounds %s%n", "", times(s.fp32()));
        out.printf(Locale.ROOT, "%-15s bf16 rounds %s%n", "", times(s.bf16()));
        out.printf(Locale.ROOT, "%-15s bf16 vs fp32: %s%n", "", s.agreement());
    }

    private static String times(List<Double> t) {
        List<String> s = new ArrayList<>();
        for (double d : t) {
            s.add(String.format(Locale.ROOT, "%.3f", d));
        }
        return String.join(", ", s);
    }
}
