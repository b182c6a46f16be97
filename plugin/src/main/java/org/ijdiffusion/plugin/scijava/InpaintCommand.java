package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.inpaint.InpaintArea;
import org.ijdiffusion.plugin.inpaint.InpaintResult;
import org.ijdiffusion.plugin.inpaint.InpaintSettings;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.plugin.io.StoredImage;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Inpainting as a SciJava command: {@code mask} (grey levels: 0 keep .. 255 repaint, same size as the
 * input) is repainted; pixels outside the grown and blurred mask come back unchanged. The same runner
 * as Plugins > Diffusion > Inpaint Selection and the command line.
 */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Inpaint")
public class InpaintCommand extends DiffusionCommand {
    @Parameter(label = "input")
    BufferedImage input;

    @Parameter(label = "mask")
    BufferedImage mask;

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

    @Override
    public void run() {
        StoredImage stored = ImageInput.fromBufferedImage(input); // samples as stored, not getRGB's colours
        RgbImage src = stored.toRgb();
        Mask m = Mask.fromImage(ImageInput.fromBufferedImage(mask).toRgb());
        InpaintSettings s = InpaintSettings.DEFAULTS.withMaskBlur(mask_blur).withArea(InpaintArea.fromName(inpaint_area))
                .withPadding(padding).withContent(MaskedContent.fromName(masked_content)).withWorkingSize(working_size);
        GenerationRequest.Builder b = Jobs.request(this).strength(denoising_strength);
        InpaintResult r = GenerationJob.inpaint(model.toPath(), null, null, b, src, m, s, List.of(), ProgressListener.NONE);
        // in the input's own kind: outside the mask every stored sample is the input's
        output(new Jobs.Result(stored.paste(r.fitted().get(0), r.box(), r.pasteMask()).toBufferedImage(), r.infotext(),
                r.seed()));
    }
}
