package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.controlnet.ControlUnit;
import org.ijdiffusion.controlnet.HintImage;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.Infotext;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.plugin.io.OutputFiles;
import org.ijdiffusion.preprocessors.ImageFiles;

/**
 * {@code ij-diffusion generate}: txt2img, img2img (--init) and ControlNet units (--control ...) from an
 * LDM .safetensors file or a diffusers folder; writes PNGs with A1111's parameters chunk.
 */
public final class GenerateCommand implements Command {
    static final Set<String> OPTIONS;

    static {
        Set<String> o = new HashSet<>(Set.of("model", "vae", "prompt", "negative", "width", "height", "steps", "cfg",
                "sampler", "seed", "init", "strength", "clip-skip", "batch", "out", "precision", "eta", "schedule",
                "vae-decoder", "taesd", "from-png"));
        o.addAll(ControlOptions.OPTIONS);
        o.addAll(InpaintOptions.OPTIONS);
        o.addAll(LoraOptions.OPTIONS);
        OPTIONS = Set.copyOf(o);
        Set<String> r = new HashSet<>(ControlOptions.OPTIONS);
        r.add("lora");
        REPEATABLE = Set.copyOf(r);
    }

    /** Options that may be given more than once: each --control unit's, --lora. */
    static final Set<String> REPEATABLE;

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "txt2img / img2img / inpainting / ControlNet generation to PNG";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: ij-diffusion generate --model PATH --prompt TEXT [--negative TEXT] --width W --height H",
                "    --steps N --cfg F --sampler {" + String.join(",", samplerNames()) + "} --seed N",
                "    [--schedule default|trailing] [--eta F] [--vae-decoder vae|taesd --taesd FILE|FOLDER]",
                "    [--init IMAGE --strength F] [--clip-skip N] [--batch N] [--vae FILE] --out FILE.png",
                "    [--control MODEL --control-image IMAGE [--control-weight F] [--control-start F] [--control-end F]",
                "     [--control-mode balanced|prompt|controlnet] [--control-resize just_resize|crop_and_resize|resize_and_fill]",
                "     [--preprocessor none|canny|depth|openpose] [--preprocessor-model FILE]] ...",
                InpaintOptions.USAGE,
                String.join("\n", LoraOptions.USAGE),
                "  --precision fp32|bf16: the UNet, ControlNet and VAE compute in bfloat16 with bf16 (faster, half the"
                + " weight memory,\n    not bit-exact; needs a CPU with AVX512-BF16 or AMX); default fp32.",
                "  --seed -1 picks a random seed (printed). --batch N writes FILE-0.png .. FILE-(N-1).png, image i with seed+i.",
                "  --control may repeat; the options after it apply to that unit.",
                "  --schedule trailing: diffusers' trailing timesteps (A1111/ComfyUI \"SGM Uniform\"; ddim, euler, euler_a,",
                "    lms, dpmpp_2m). --eta: DDIM's eta (default 0) or TCD's gamma (default 0.3). --cfg 1 or less: no",
                "    guidance (one UNet call per step, the negative prompt unused), as LCM/TCD LoRAs are used.",
                "  --taesd: TAESD weights (taesd_decoder.safetensors of a vae_approx folder, or a diffusers AutoencoderTiny",
                "    folder); --vae-decoder taesd decodes the final image with it (a quick draft, not the VAE's quality).",
                "  --from-png FILE takes prompt, negative prompt, steps, sampler + schedule type, cfg, seed, size,",
                "  clip skip (and denoising strength with --init) from an A1111 PNG; options given here win.");
    }

    private static List<String> samplerNames() {
        List<String> n = new ArrayList<>();
        for (SamplerKind k : SamplerKind.values()) {
            n.add(k.cliName());
        }
        return n;
    }

    /** The options with a value, the switches and the repeatable options of {@code generate} (without dashes). */
    public static Set<String> options() {
        return OPTIONS;
    }

    public static Set<String> switches() {
        return InpaintOptions.SWITCHES;
    }

    public static Set<String> repeatable() {
        return REPEATABLE;
    }

    /** The options that belong to a --control unit. */
    public static Set<String> controlOptions() {
        return ControlOptions.OPTIONS;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        return run(args, ModelSource.fresh(), out, err);
    }

    /**
     * One generate command line with its weights from {@code models} (a batch job goes through here,
     * so every option, check and message is generate's).
     */
    public static int run(List<String> args, ModelSource models, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("generate", args, OPTIONS, InpaintOptions.SWITCHES, REPEATABLE);
        InfotextReader.Parameters png = a.has("from-png") ? FromPng.read(a.path("from-png")) : null;
        if (png != null) {
            a.defaults(FromPng.options(png, a, err));
        }
        Path outFile = a.requirePath("out");
        a.requirePath("model"); // checked before anything is read or loaded
        int width = a.integer("width", 512);
        int height = a.integer("height", 512);
        GenerationRequest.Builder b = GenerationRequest.builder()
                .prompt(a.require("prompt"))
                .negativePrompt(a.get("negative", ""))
                .size(width, height)
                .steps(a.integer("steps", 20))
                .cfg(a.number("cfg", 7.0))
                .sampler(sampler(a.get("sampler", "euler_a")))
                .spacing(spacing(a.get("schedule", "default")))
                .eta(a.has("eta") ? a.number("eta", 0) : null)
                .draftDecode(draftDecode(a))
                .seed(seed(a.longValue("seed", -1)))
                .strength(a.number("strength", 0.75))
                .clipSkip(a.integer("clip-skip", 1))
                .batch(a.integer("batch", 1));
        List<ControlOptions.Unit> units = ControlOptions.parse(a);
        List<LoraSpec> loras = LoraOptions.specs(a, a.require("prompt"));
        // before anything is read: no output may be an input (model, init, mask, control images, ...)
        CommandFiles.generate(a, units, loras).batchOutput(a, a.integer("batch", 1)).check();
        if (InpaintOptions.requested(a)) {
            return InpaintOptions.run(a, b, units, loras, models, out, err);
        }
        b.build(); // the request's own limits first
        // memory for this size, from the headers, before any image is read or resampled
        RunLimits.generate(a.requirePath("model"), a.path("vae"), width, height, a.integer("batch", 1),
                a.number("cfg", 7.0) != 1.0, a.has("init"), units, !loras.isEmpty());
        if (a.has("init")) {
            FloatImage init = EngineImages.rgb(ImageInput.readRgb(a.path("init")));
            b.init(HintImage.resample(init, width, height));
        } else if (a.has("strength")) {
            throw new UsageException("--strength needs --init IMAGE");
        }
        GenerationRequest check = b.build(); // validate the request before loading anything
        if (!check.guided() && !check.negativePrompt().isEmpty()) {
            err.println("note: --cfg " + Infotext.number(check.cfg()) + " runs without guidance (one UNet call per step): "
                    + "the negative prompt is not used");
        }
        try (ModelSource.Lease lease = models.open(a, loras, err)) {
            SdModel sd = lease.model();
            if (png != null) {
                FromPng.checkModel(png, sd.checkpoint().name(), sd.checkpoint().shortHash(), err);
            }
            for (ControlUnit u : ControlOptions.load(units, width, height, lease)) {
                b.control(u);
            }
            GenerationResult result = new Pipeline(sd).generate(b.build(), new ConsoleProgress(err));
            List<Path> written = write(result, outFile);
            out.println(result.infotext());
            for (Path p : written) {
                out.println("wrote " + p);
            }
        }
        return Main.OK;
    }

    /** The checkpoint of a generate command line with its LoRAs and embeddings, and the notes about it on stderr. */
    static SdModel load(Args a, List<LoraSpec> loras, PrintStream err) {
        SdModel sd = SdModel.load(a.requirePath("model"), a.path("vae"), loras, precision(a));
        try {
            warnIfTestSized(sd, err);
            LoraOptions.report(sd, err);
            LoraOptions.embeddings(a, sd);
            if (a.has("taesd")) {
                sd.useTaesd(a.path("taesd"));
            }
            return sd;
        } catch (RuntimeException e) {
            sd.close();
            throw e;
        }
    }

    /** {@code --precision fp32|bf16} (default fp32); bf16 is refused on a CPU without native bfloat16. */
    static Precision precision(Args a) {
        try {
            return Precision.fromLabel(a.get("precision", Precision.FP32.label()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--precision: " + e.getMessage());
        }
    }

    /** Released SD1.x models have 320 UNet channels; the bundled test checkpoints have random weights. */
    static void warnIfTestSized(SdModel sd, PrintStream err) {
        int channels = sd.unet().config().modelChannels();
        if (channels < 320) {
            err.println("note: this checkpoint's UNet has " + channels + " channels (released SD1.x models have 320): "
                    + "if it is one of the bundled test checkpoints (random weights), its pictures are noise. For real "
                    + "pictures use --model with an SD1.5 checkpoint (.safetensors file or diffusers folder).");
        }
    }

    /** {@code --vae-decoder taesd} (needs {@code --taesd}): the final image decoded by TAESD, a quick draft. */
    static boolean draftDecode(Args a) {
        String d = a.get("vae-decoder", "vae").trim().toLowerCase(java.util.Locale.ROOT);
        if (!d.equals("vae") && !d.equals("taesd")) {
            throw new UsageException("--vae-decoder must be vae or taesd (got " + d + ")");
        }
        if (d.equals("taesd") && !a.has("taesd")) {
            throw new UsageException("--vae-decoder taesd needs --taesd FILE|FOLDER (taesd_decoder.safetensors, e.g. "
                    + "from an A1111 models/VAE-approx or ComfyUI models/vae_approx folder)");
        }
        return d.equals("taesd");
    }

    static TimestepSpacing spacing(String name) {
        try {
            return TimestepSpacing.fromName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule: " + e.getMessage());
        }
    }

    static SamplerKind sampler(String name) {
        try {
            return SamplerKind.fromName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** -1 = a random seed (reported in the printed infotext), as in A1111. */
    static long seed(long seed) {
        if (seed == -1) {
            return new java.security.SecureRandom().nextInt(Integer.MAX_VALUE); // printed in the infotext
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new UsageException("--seed must be between 0 and 4294967295, or -1 for random (got " + seed + ")");
        }
        return seed;
    }

    /** Batch 1: exactly {@code out}; batch N: {@code stem-0.png .. stem-(N-1).png}. */
    static List<Path> write(GenerationResult result, Path out) throws IOException {
        List<FloatImage> images = result.images();
        List<Path> names = OutputFiles.batchNames(out, images.size());
        for (int i = 0; i < images.size(); i++) {
            OutputFiles.writePng(ImageFiles.toBufferedImage(EngineImages.toRgb(images.get(i))), result.infotext(i),
                    names.get(i));
        }
        return names;
    }

    /** Step progress on stderr. */
    static final class ConsoleProgress implements ProgressListener {
        private final PrintStream err;

        ConsoleProgress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void onStep(int step, int total, double secondsPerStep, Supplier<FloatImage> preview) {
            err.printf(java.util.Locale.ROOT, "step %d/%d (%.2f s/step)%n", step, total, secondsPerStep);
        }

        @Override
        public void onStage(String stage) {
            err.println(stage);
        }

        @Override
        public void onWarning(String message) {
            err.println("warning: " + message);
        }
    }
}
