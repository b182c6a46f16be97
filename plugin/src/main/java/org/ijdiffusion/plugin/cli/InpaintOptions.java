package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.plugin.ij.core.ControlMaps;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.plugin.inpaint.ControlInput;
import org.ijdiffusion.plugin.inpaint.InpaintArea;
import org.ijdiffusion.plugin.inpaint.InpaintPlan;
import org.ijdiffusion.plugin.inpaint.InpaintResult;
import org.ijdiffusion.plugin.inpaint.InpaintRunner;
import org.ijdiffusion.plugin.inpaint.InpaintSettings;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.plugin.io.OutputFiles;
import org.ijdiffusion.plugin.io.StoredImage;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.WorkSize;

/**
 * {@code generate --init IMAGE --mask MASK ...}: inpainting from the command line through
 * {@link InpaintRunner}. The output has the init image's size; the mask is an 8-bit image of the
 * same size (black keep .. white repaint).
 */
final class InpaintOptions {
    static final Set<String> OPTIONS = Set.of("mask", "mask-blur", "mask-grow", "inpaint-area", "padding",
            "masked-content", "working-size");
    static final Set<String> SWITCHES = Set.of("soft-mask", "color-match");

    static final String USAGE = String.join("\n",
            "    [--init IMAGE --mask MASK [--mask-blur PX (4)] [--mask-grow PX (0)] [--inpaint-area whole|masked]",
            "     [--padding PX (32)] [--masked-content original|fill|latent_noise|latent_nothing]",
            "     [--working-size PX (512)] [--soft-mask] [--color-match]]",
            "  With --mask the result has the init image's size and only the mask's area (grown and blurred)",
            "  changes. --inpaint-area whole (default) generates the image at --width x --height (default: its",
            "  size rounded to multiples of 8, scaled down to --working-size on the short side when larger);",
            "  masked generates a padded box around the mask at that size (default: short side --working-size).");

    private InpaintOptions() {
    }

    /** Whether the command line asks for inpainting; a mask option without --mask is a usage error. */
    static boolean requested(Args a) {
        if (a.has("mask")) {
            return true;
        }
        for (String o : OPTIONS) {
            if (a.has(o)) {
                throw new UsageException("--" + o + " needs --mask MASK (and --init IMAGE)");
            }
        }
        for (String o : SWITCHES) {
            if (a.has(o)) {
                throw new UsageException("--" + o + " needs --mask MASK (and --init IMAGE)");
            }
        }
        return false;
    }

    static InpaintSettings settings(Args a) {
        InpaintSettings d = InpaintSettings.DEFAULTS;
        try {
            return new InpaintSettings(a.integer("mask-blur", d.maskBlur()), a.integer("mask-grow", d.maskGrow()),
                    a.has("inpaint-area") ? InpaintArea.fromName(a.get("inpaint-area")) : d.area(),
                    a.integer("padding", d.padding()),
                    a.has("masked-content") ? MaskedContent.fromName(a.get("masked-content")) : d.content(),
                    a.integer("working-size", d.workingSize()), a.has("soft-mask"), a.has("color-match"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * --width/--height with --mask: the generation size, as in A1111 (the result keeps the init image's
     * size); both or neither. Null when not given: whole picture generates at the image size rounded to
     * multiples of 8 (scaled down to --working-size on the short side when larger), only masked at
     * --working-size.
     */
    static WorkSize generationSize(Args a) {
        if (!a.has("width") && !a.has("height")) {
            return null;
        }
        if (!a.has("width") || !a.has("height")) {
            throw new UsageException("give both --width and --height (the generation size), or neither");
        }
        int w = a.integer("width", 0);
        int h = a.integer("height", 0);
        if (w < 8 || h < 8 || w % 8 != 0 || h % 8 != 0) {
            throw new UsageException("--width/--height must be multiples of 8 (got " + w + "x" + h + ")");
        }
        return new WorkSize(w, h);
    }

    /** A missing or unreadable input image is bad input (exit 2), not a failure. */
    private static StoredImage read(Args a, String option) {
        try {
            return ImageInput.read(a.path(option));
        } catch (IOException e) {
            throw new UsageException("--" + option + ": " + e.getMessage());
        }
    }

    /** Runs the inpainting job of a generate command line; {@code b} holds the prompt and sampling options. */
    static int run(Args a, GenerationRequest.Builder b, List<ControlOptions.Unit> units, List<LoraSpec> loras,
            ModelSource models, PrintStream out, PrintStream err) throws IOException {
        if (!a.has("init")) {
            throw new UsageException("--mask needs --init IMAGE (the image to inpaint)");
        }
        InpaintSettings settings = settings(a);
        StoredImage stored = read(a, "init");
        RgbImage image = stored.toRgb();
        Mask mask = Mask.fromImage(read(a, "mask").toRgb());
        Path outFile = a.requirePath("out");
        WorkSize size = generationSize(a);
        InpaintPlan plan = InpaintPlan.of(image.width(), image.height(), mask, settings, size); // checks the mask early
        b.size(plan.work().width(), plan.work().height()).build(); // validates the other options early
        try (ModelSource.Lease lease = models.open(a, loras, err)) {
            SdModel sd = lease.model();
            List<ControlInput> controls = new ArrayList<>();
            for (ControlOptions.Loaded l : ControlOptions.loadMaps(units, lease)) {
                ControlOptions.Unit u = l.unit();
                controls.add(new ControlInput(l.net(), l.map(), u.weight(), u.start(), u.end(), u.mode(), u.resize(),
                        l.name(), ControlMaps.Kind.moduleOf(u.preprocessor())));
            }
            InpaintResult r = InpaintRunner.run(sd, b, image, mask, settings, size, controls,
                    new GenerateCommand.ConsoleProgress(err));
            // pasted into the source in its own kind: outside the mask every stored sample is kept
            // (16-bit stays 16-bit, grey stays grey, alpha is the source's)
            List<Path> written = OutputFiles.batchNames(outFile, r.fitted().size());
            for (int i = 0; i < written.size(); i++) {
                StoredImage result = stored.paste(r.fitted().get(i), r.box(), r.pasteMask());
                OutputFiles.writePng(result.toBufferedImage(), r.infotext(), written.get(i));
            }
            out.println(r.infotext());
            for (Path p : written) {
                out.println("wrote " + p);
            }
        }
        return Main.OK;
    }
}
