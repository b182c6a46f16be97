package org.ijdiffusion.plugin.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.ijdiffusion.controlnet.ControlUnit;
import org.ijdiffusion.controlnet.HintImage;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.io.PngFiles;
import org.ijdiffusion.preprocessors.ImageFiles;

/**
 * {@code ij-diffusion generate}: txt2img, img2img (--init) and ControlNet units (--control ...) from an
 * LDM .safetensors file or a diffusers folder; writes PNGs with A1111's parameters chunk.
 */
final class GenerateCommand implements Command {
    static final Set<String> OPTIONS;

    static {
        Set<String> o = new HashSet<>(Set.of("model", "vae", "prompt", "negative", "width", "height", "steps", "cfg",
                "sampler", "seed", "init", "strength", "clip-skip", "batch", "out", "from-png"));
        o.addAll(ControlOptions.OPTIONS);
        o.addAll(InpaintOptions.OPTIONS);
        o.addAll(LoraOptions.OPTIONS);
        OPTIONS = Set.copyOf(o);
    }

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
                "    [--init IMAGE --strength F] [--clip-skip N] [--batch N] [--vae FILE] --out FILE.png",
                "    [--control MODEL --control-image IMAGE [--control-weight F] [--control-start F] [--control-end F]",
                "     [--control-mode balanced|prompt|controlnet] [--control-resize just_resize|crop_and_resize|resize_and_fill]",
                "     [--preprocessor none|canny|depth|openpose] [--preprocessor-model FILE]] ...",
                InpaintOptions.USAGE,
                String.join("\n", LoraOptions.USAGE),
                "  --seed -1 picks a random seed (printed). --batch N writes FILE-0.png .. FILE-(N-1).png, image i with seed+i.",
                "  --control may repeat; the options after it apply to that unit.",
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

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(name(), args, OPTIONS, InpaintOptions.SWITCHES);
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
                .seed(seed(a.longValue("seed", -1)))
                .strength(a.number("strength", 0.75))
                .clipSkip(a.integer("clip-skip", 1))
                .batch(a.integer("batch", 1));
        if (InpaintOptions.requested(a)) {
            return InpaintOptions.run(a, b, ControlOptions.parse(a), LoraOptions.specs(a, a.require("prompt")), out, err);
        }
        if (a.has("init")) {
            FloatImage init = EngineImages.rgb(ImageFiles.read(a.path("init")));
            b.init(HintImage.resample(init, width, height));
        } else if (a.has("strength")) {
            throw new UsageException("--strength needs --init IMAGE");
        }
        List<ControlOptions.Unit> units = ControlOptions.parse(a);
        List<LoraSpec> loras = LoraOptions.specs(a, a.require("prompt"));
        b.build(); // validate the request before loading anything
        try (SdModel sd = load(a, loras, err); NDManager nets = sd.manager().newSubManager()) {
            if (png != null) {
                FromPng.checkModel(png, sd.checkpoint().name(), sd.checkpoint().shortHash(), err);
            }
            for (ControlUnit u : ControlOptions.load(units, width, height, sd.unet().config(), nets)) {
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
        SdModel sd = SdModel.load(a.requirePath("model"), a.path("vae"), loras);
        try {
            warnIfTestSized(sd, err);
            LoraOptions.report(sd, err);
            LoraOptions.embeddings(a, sd);
            return sd;
        } catch (RuntimeException e) {
            sd.close();
            throw e;
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
        List<Path> written = new ArrayList<>();
        List<FloatImage> images = result.images();
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        for (int i = 0; i < images.size(); i++) {
            Path p = images.size() == 1 ? out : out.resolveSibling(stem + "-" + i + ".png");
            PngFiles.writePng(ImageFiles.toBufferedImage(EngineImages.toRgb(images.get(i))), result.infotext(i), p);
            written.add(p);
        }
        return written;
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
