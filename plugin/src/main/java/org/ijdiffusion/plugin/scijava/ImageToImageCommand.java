package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.ij.core.Sizes;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * img2img as a SciJava command: the input image (any size; resized to a multiple of 8 and back) is
 * never modified. Same engine call as Plugins > Diffusion > Image to Image.
 */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Image to Image")
public class ImageToImageCommand extends DiffusionCommand {
    @Parameter(label = "input")
    BufferedImage input;

    @Parameter(label = "denoising_strength", min = "0.01", max = "1")
    double denoising_strength = 0.75;

    @Override
    public void run() {
        RgbImage src = org.ijdiffusion.plugin.io.ImageInput.fromBufferedImage(input).toRgb(); // as stored
        int w = Sizes.multipleOf8(src.width());
        int h = Sizes.multipleOf8(src.height());
        RgbImage in = org.ijdiffusion.plugin.ij.IjImages.resize(src, w, h);
        Jobs.Result r = Jobs.generate(this, Jobs.request(this).size(w, h).strength(denoising_strength)
                .init(EngineImages.rgb(in)));
        output(new Jobs.Result(ImageFiles.toBufferedImage(org.ijdiffusion.plugin.ij.IjImages.resize(
                ImageFiles.fromBufferedImage(r.image()), src.width(), src.height())), r.parameters(), r.seed()));
    }
}
