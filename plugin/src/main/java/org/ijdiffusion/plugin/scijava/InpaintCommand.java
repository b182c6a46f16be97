package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.io.File;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.Seeds;
import org.ijdiffusion.plugin.inpaint.InpaintArea;
import org.ijdiffusion.plugin.inpaint.InpaintResult;
import org.ijdiffusion.plugin.inpaint.InpaintSettings;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Inpainting as a SciJava command: {@code mask} (grey levels: 0 keep .. 255 repaint, same size as the
 * input) is repainted; pixels outside the grown and blurred mask come back unchanged. The same runner
 * as Plugins > Diffusion > Inpaint Selection and the command line.
 */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Inpaint")
public class InpaintCommand implements Command {
    @Parameter(label = "model", style = "files,directories")
    File model;

    @Parameter(label = "input")
    BufferedImage input;

    @Parameter(label = "mask")
    BufferedImage mask;

    @Parameter(label = "prompt", persist = false)
    String prompt = "";

    @Parameter(label = "negative_prompt", required = false, persist = false)
    String negative_prompt = "";

    @Parameter(label = "steps", min = "1", max = "1000")
    int steps = 20;

    @Parameter(label = "cfg_scale", min = "0", max = "100")
    double cfg_scale = 7;

    @Parameter(label = "sampler", choices = {"DDIM", "PLMS", "Euler", "Euler a", "LMS", "DPM++ 2M", "DPM++ 2M Karras"})
    String sampler = "Euler a";

    @Parameter(label = "seed", min = "-1", max = "4294967295", persist = false)
    long seed = -1;

    @Parameter(label = "denoising_strength", min = "0.01", max = "1")
    double denoising_strength = 0.75;

    @Parameter(label = "mask_blur", min = "0", max = "64")
    int mask_blur = 4;

    @Parameter(label = "inpaint_area", choices = {"Whole picture", "Only masked"})
    String inpaint_area = "Whole picture";

    @Parameter(label = "padding", min = "0", max = "256")
    int padding = 32;

    @Parameter(label = "masked_content", choices = {"original", "fill", "latent noise", "latent nothing"})
    String masked_content = "original";

    @Parameter(label = "working_size", min = "64", max = "4096")
    int working_size = 512;

    @Parameter(type = ItemIO.OUTPUT)
    BufferedImage image;

    @Parameter(type = ItemIO.OUTPUT, label = "parameters")
    String parameters;

    @Parameter(type = ItemIO.OUTPUT, label = "seed used")
    long seed_used;

    @Override
    public void run() {
        if (model == null || !model.exists()) {
            throw new IllegalArgumentException("model: the checkpoint " + model + " does not exist (give an SD1.x "
                    + ".safetensors file or a diffusers folder)");
        }
        RgbImage src = ImageFiles.fromBufferedImage(input);
        Mask m = Mask.fromImage(ImageFiles.fromBufferedImage(mask));
        InpaintSettings s = InpaintSettings.DEFAULTS.withMaskBlur(mask_blur).withArea(InpaintArea.fromName(inpaint_area))
                .withPadding(padding).withContent(MaskedContent.fromName(masked_content)).withWorkingSize(working_size);
        long used = Seeds.resolve(seed);
        GenerationRequest.Builder b = GenerationRequest.builder().prompt(prompt).negativePrompt(negative_prompt)
                .steps(steps).cfg(cfg_scale).strength(denoising_strength).sampler(SamplerKind.fromName(sampler))
                .seed(used);
        InpaintResult r = GenerationJob.inpaint(model.toPath(), null, null, b, src, m, s, List.of(), ProgressListener.NONE);
        image = ImageFiles.toBufferedImage(r.images().get(0));
        parameters = r.infotext();
        seed_used = r.seed();
    }
}
