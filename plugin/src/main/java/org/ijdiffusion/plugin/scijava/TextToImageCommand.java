package org.ijdiffusion.plugin.scijava;

import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * txt2img as a SciJava command (for Fiji scripts: {@code #@ CommandService} ...). Same engine call as
 * Plugins > Diffusion > Text to Image; the checkpoint is given as a file.
 */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Text to Image")
public class TextToImageCommand extends DiffusionCommand {
    @Parameter(label = "width", min = "8", max = "4096", stepSize = "8")
    int width = GenerationRequest.DEFAULT_SIZE;

    @Parameter(label = "height", min = "8", max = "4096", stepSize = "8")
    int height = GenerationRequest.DEFAULT_SIZE;

    @Override
    public void run() {
        output(Jobs.generate(this, Jobs.request(this).size(width, height)));
    }
}
