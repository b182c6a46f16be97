package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.Seeds;
import org.ijdiffusion.preprocessors.ImageFiles;

/** The one engine call the SciJava commands share (the same GUI-free job as the ImageJ 1 commands). */
final class Jobs {
    record Result(BufferedImage image, String parameters, long seed) {
    }

    private Jobs() {
    }

    /** The request's shared fields from the command's parameters, with the seed resolved (-1 = random). */
    static GenerationRequest.Builder request(DiffusionCommand c) {
        if (c.model == null || !c.model.exists()) {
            throw new IllegalArgumentException("model: the checkpoint " + c.model + " does not exist (give an SD1.x "
                    + ".safetensors file or a diffusers folder)");
        }
        return GenerationRequest.builder().prompt(c.prompt).negativePrompt(c.negative_prompt).steps(c.steps)
                .cfg(c.cfg_scale).sampler(SamplerKind.fromName(c.sampler))
                .spacing(TimestepSpacing.fromName(c.schedule_type == null || c.schedule_type.isBlank() ? "default"
                        : c.schedule_type))
                .eta(c.eta < 0 ? null : c.eta).seed(Seeds.resolve(c.seed))
                .clipSkip(c.clip_skip);
    }

    /** txt2img / img2img with the GUI-free job the ImageJ 1 commands use. */
    static Result generate(DiffusionCommand c, GenerationRequest.Builder b) {
        GenerationResult r = GenerationJob.run(c.model.toPath(), null, b, List.of(), ProgressListener.NONE);
        return new Result(ImageFiles.toBufferedImage(EngineImages.toRgb(r.images().get(0))), r.infotext(), r.seed());
    }
}
