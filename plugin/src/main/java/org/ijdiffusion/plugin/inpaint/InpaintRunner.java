package org.ijdiffusion.plugin.inpaint;

import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.controlnet.ControlUnit;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.PasteBack;
import org.ijdiffusion.preprocessors.mask.WorkSize;

/**
 * Inpainting without a GUI, for the ImageJ plugin and the command line: mask in, full-size images
 * out. See {@link InpaintPlan} for the geometry; the engine does the latent part (9-channel or
 * regular checkpoints, masked content, soft masks).
 */
public final class InpaintRunner {
    private InpaintRunner() {
    }

    /**
     * Inpaints {@code image} where {@code mask} is non-zero.
     *
     * @param base     prompt, sampler, steps, cfg, seed, strength, batch... Its size, init image, mask,
     *                 masked content, soft-mask flag and control units are set here (the builder is
     *                 changed; it may be reused for another run)
     * @param image    the source, any size; never modified
     * @param mask     same size as the image: 0 keep .. 255 repaint
     * @param controls ControlNet units whose maps cover the whole image; may be empty
     * @param listener progress and cancellation; may be null
     * @throws IllegalArgumentException with a user-facing message for a mask of the wrong size, an
     *                                  empty mask or invalid generation parameters
     */
    public static InpaintResult run(SdModel model, GenerationRequest.Builder base, RgbImage image, Mask mask,
            InpaintSettings settings, List<ControlInput> controls, ProgressListener listener) {
        return run(model, base, image, mask, settings, null, controls, listener);
    }

    /** As above with the generation size given (A1111's width/height; see {@link InpaintPlan#of}); null: automatic. */
    public static InpaintResult run(SdModel model, GenerationRequest.Builder base, RgbImage image, Mask mask,
            InpaintSettings settings, WorkSize size, List<ControlInput> controls, ProgressListener listener) {
        InpaintPlan plan = InpaintPlan.of(image.width(), image.height(), mask, settings, size);
        base.size(plan.work().width(), plan.work().height())
                .init(plan.engineInit(image))
                .mask(plan.engineMask())
                .maskedContent(settings.content())
                .softMask(settings.softMask())
                .clearControls();
        for (ControlInput c : controls) {
            c.net().checkFits(model.unet().config());
            base.control(new ControlUnit(c.net(), plan.controlHint(c, image.width(), image.height()), c.weight(),
                    c.start(), c.end(), c.mode(), c.resize(), c.model(), c.module()));
        }
        GenerationResult r = new Pipeline(model).generate(base.build(), listener);
        List<RgbImage> out = new ArrayList<>();
        List<RgbImage> fitted = new ArrayList<>();
        for (FloatImage f : r.images()) {
            RgbImage gen = plan.fitted(image, EngineImages.toRgb(f));
            fitted.add(gen);
            out.add(PasteBack.blend(image, gen, plan.box(), plan.pasteMask()));
        }
        String info = r.infotext() + ", " + plan.infotextKeys();
        return new InpaintResult(List.copyOf(out), r.seed(), info, plan.box(), plan.work(), plan.pasteMask(),
                List.copyOf(fitted));
    }
}
