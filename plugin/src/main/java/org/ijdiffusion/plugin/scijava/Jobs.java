package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.io.File;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
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

    static Result generate(File model, GenerationRequest.Builder b, String sampler, long seed, int clipSkip) {
        if (model == null || !model.exists()) {
            throw new IllegalArgumentException("model: the checkpoint " + model + " does not exist (give an SD1.x "
                    + ".safetensors file or a diffusers folder)");
        }
        long s = Seeds.resolve(seed);
        b.sampler(SamplerKind.fromName(sampler)).seed(s).clipSkip(clipSkip);
        GenerationResult r = GenerationJob.run(model.toPath(), null, b, List.of(), ProgressListener.NONE);
        return new Result(ImageFiles.toBufferedImage(EngineImages.toRgb(r.images().get(0))), r.infotext(), r.seed());
    }
}
