package org.ijdiffusion.plugin.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.plugin.io.PngFiles;

/**
 * {@code ij-diffusion generate}: txt2img, img2img (--init) from an LDM .safetensors file or a
 * diffusers folder; writes PNGs with A1111's parameters chunk.
 */
public final class GenerateCommand {
    static final Set<String> OPTIONS = Set.of("model", "vae", "prompt", "negative", "width", "height", "steps",
            "cfg", "sampler", "seed", "init", "strength", "clip-skip", "batch", "out");

    private GenerateCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            CliArgs a = CliArgs.parse(args, OPTIONS, Set.of());
            Path outFile = a.path("out");
            if (outFile == null) {
                throw new CliArgs.UsageException("missing --out FILE.png");
            }
            GenerationRequest.Builder b = GenerationRequest.builder()
                    .prompt(a.required("prompt"))
                    .negativePrompt(a.string("negative", ""))
                    .size(a.integer("width", 512), a.integer("height", 512))
                    .steps(a.integer("steps", 20))
                    .cfg(a.number("cfg", 7.0))
                    .sampler(sampler(a.string("sampler", "euler_a")))
                    .seed(seed(a.longValue("seed", -1), out))
                    .strength(a.number("strength", 0.75))
                    .clipSkip(a.integer("clip-skip", 1))
                    .batch(a.integer("batch", 1));
            if (a.has("init")) {
                BufferedImage init = PngFiles.resize(PngFiles.read(a.path("init")), a.integer("width", 512),
                        a.integer("height", 512));
                b.init(PngFiles.toRgb(init));
            } else if (a.has("strength")) {
                throw new CliArgs.UsageException("--strength needs --init IMAGE");
            }
            GenerationRequest request = b.build();
            Path model = a.path("model");
            if (model == null) {
                throw new CliArgs.UsageException("missing --model PATH (an SD1.x .safetensors file or a diffusers folder)");
            }
            try (SdModel sd = SdModel.load(model, a.path("vae"))) {
                GenerationResult result = new Pipeline(sd).generate(request, new ConsoleProgress(err));
                List<Path> written = write(result, outFile);
                out.println(result.infotext());
                for (Path p : written) {
                    out.println("wrote " + p);
                }
            }
            return 0;
        } catch (CliArgs.UsageException | IllegalArgumentException | ModelFileException e) {
            err.println("ij-diffusion generate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("ij-diffusion generate: " + e.getMessage());
            return 2;
        } catch (java.util.concurrent.CancellationException e) {
            err.println("ij-diffusion generate: " + e.getMessage());
            return 130;
        }
    }

    static SamplerKind sampler(String name) {
        try {
            return SamplerKind.fromName(name);
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException(e.getMessage());
        }
    }

    /** -1 = a random seed (reported), as in A1111. */
    static long seed(long seed, PrintStream out) {
        if (seed == -1) {
            long s = new java.security.SecureRandom().nextInt(Integer.MAX_VALUE);
            out.println("seed: " + s);
            return s;
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new CliArgs.UsageException("--seed must be between 0 and 4294967295, or -1 for random (got " + seed + ")");
        }
        return seed;
    }

    /** Batch 1: exactly {@code out}; batch N: {@code stem-0.png .. stem-(N-1).png}. */
    static List<Path> write(GenerationResult result, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        List<FloatImage> images = result.images();
        String name = out.getFileName().toString();
        String stem = name.toLowerCase().endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        for (int i = 0; i < images.size(); i++) {
            Path p = images.size() == 1 ? out : out.resolveSibling(stem + "-" + i + ".png");
            PngFiles.writePng(PngFiles.toBuffered(images.get(i)), result.infotext(), p);
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
        public void onStep(int step, int total, double secondsPerStep, java.util.function.Supplier<FloatImage> preview) {
            err.printf("step %d/%d (%.2f s/step)%n", step, total, secondsPerStep);
        }

        @Override
        public void onStage(String stage) {
            err.println(stage);
        }
    }
}
