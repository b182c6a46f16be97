package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.io.File;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * txt2img as a SciJava command (for Fiji scripts: {@code #@ CommandService} ...). Same engine call as
 * Plugins > Diffusion > Text to Image; the checkpoint is given as a file.
 */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Text to Image")
public class TextToImageCommand implements Command {
    @Parameter(label = "model", description = "SD1.x checkpoint (.safetensors) or diffusers folder", style = "files,directories")
    File model;

    @Parameter(label = "prompt", persist = false)
    String prompt = "";

    @Parameter(label = "negative_prompt", required = false, persist = false)
    String negative_prompt = "";

    @Parameter(label = "width", min = "8", max = "4096", stepSize = "8")
    int width = GenerationRequest.DEFAULT_SIZE;

    @Parameter(label = "height", min = "8", max = "4096", stepSize = "8")
    int height = GenerationRequest.DEFAULT_SIZE;

    @Parameter(label = "steps", min = "1", max = "1000")
    int steps = 20;

    @Parameter(label = "cfg_scale", min = "0", max = "100")
    double cfg_scale = 7;

    @Parameter(label = "sampler", choices = {"DDIM", "PLMS", "Euler", "Euler a", "LMS", "DPM++ 2M", "DPM++ 2M Karras"})
    String sampler = "Euler a";

    /** -1 = random; not remembered, so a run never silently repeats an old seed. */
    @Parameter(label = "seed", min = "-1", max = "4294967295", persist = false)
    long seed = -1;

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
        Jobs.Result r = Jobs.generate(model, GenerationRequest.builder().prompt(prompt).negativePrompt(negative_prompt)
                .size(width, height).steps(steps).cfg(cfg_scale), sampler, seed, clip_skip);
        image = r.image();
        parameters = r.parameters();
        seed_used = r.seed();
    }
}
