package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.io.File;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.ij.core.Sizes;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * img2img as a SciJava command: the input image (any size; resized to a multiple of 8 and back) is
 * never modified. Same engine call as Plugins > Diffusion > Image to Image.
 */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Image to Image")
public class ImageToImageCommand implements Command {
    @Parameter(label = "model", style = "files,directories")
    File model;

    @Parameter(label = "input")
    BufferedImage input;

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

    @Parameter(label = "clip_skip", min = "1", max = "12")
    int clip_skip = 1;

    @Parameter(type = ItemIO.OUTPUT)
    BufferedImage image;

    @Parameter(type = ItemIO.OUTPUT, label = "parameters")
    String parameters;

    @Parameter(type = ItemIO.OUTPUT, label = "seed used")
    long seed_used;

    @Override
    public void run() {
        RgbImage src = ImageFiles.fromBufferedImage(input);
        int w = Sizes.multipleOf8(src.width());
        int h = Sizes.multipleOf8(src.height());
        RgbImage in = org.ijdiffusion.plugin.ij.IjImages.resize(src, w, h);
        Jobs.Result r = Jobs.generate(model, GenerationRequest.builder().prompt(prompt).negativePrompt(negative_prompt)
                .size(w, h).steps(steps).cfg(cfg_scale).strength(denoising_strength).init(EngineImages.rgb(in)),
                sampler, seed, clip_skip);
        image = ImageFiles.toBufferedImage(org.ijdiffusion.plugin.ij.IjImages.resize(
                ImageFiles.fromBufferedImage(r.image()), src.width(), src.height()));
        parameters = r.parameters();
        seed_used = r.seed();
    }
}
