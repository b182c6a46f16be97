package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.nn.LatentDecoder;
import org.ijdiffusion.diffusion.nn.taesd.Taesd;
import org.ijdiffusion.diffusion.sampling.Schedule;
import org.ijdiffusion.diffusion.sampling.NoiseSchedule;
import org.ijdiffusion.diffusion.sampling.NoiseSource;
import org.ijdiffusion.diffusion.sampling.StepHook;
import org.ijdiffusion.diffusion.text.PromptConditioner;
import org.ijdiffusion.diffusion.text.PromptPlan;

/**
 * txt2img, img2img and inpainting with one loaded model, following the noise contract of the
 * reference implementation (shared docs FIXTURES.md): one seeded generator per request, draws in
 * order, the same image bit for bit for the same request.
 */
public final class Pipeline {
    private final SdModel model;
    private Tap tap = Tap.NONE;
    /** VAE encodes in this run, for the tap's names (vae_encode_mean_0, _1 ...). */
    private int encodes;

    public Pipeline(SdModel model) {
        this.model = model;
    }

    /** Sees intermediate tensors (tests, debugging). */
    public Pipeline tap(Tap t) {
        this.tap = t == null ? Tap.NONE : t;
        return this;
    }

    public GenerationResult generate(GenerationRequest r, ProgressListener listener) {
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        estimate(model, r.width(), r.height(), r.batch(), r.guided(), r.mode() != GenerationMode.TXT2IMG,
                r.controls().size(), 0).require(r.width(), r.height(), r.batch());
        synchronized (SeededNoise.LOCK) {
            try (NDManager run = model.manager().newSubManager()) {
                List<FloatImage> images = run(r, l, run);
                String info = Infotext.format(r, r.seed(), model);
                return new GenerationResult(images, r.seed(), info);
            }
        }
    }

    private List<FloatImage> run(GenerationRequest r, ProgressListener l, NDManager run) {
        encodes = 0;
        PromptPlan plan = PromptPlan.of(r.prompt(), r.negativePrompt(), r.steps());
        model.checkLoraTags(plan.loras());
        plan.warnings().forEach(l::onWarning);
        int b = r.batch();
        l.onStage("Encoding prompt");
        // clip skip applies to the prompt, the negative prompt keeps the last layer: what the reference
        // (diffusers' encode_prompt) does; A1111 applies it to both
        PromptContexts contexts;
        if (plan.isPlain() && r.guided()) {
            PromptConditioner.ConditioningPair pair = model.conditioner().encodePair(
                    plan.parts().get(0).schedule().textAt(0), plan.negative().textAt(0), r.clipSkip(), 1, run);
            tap.tensor("prompt_embeds", pair.positive());
            tap.tensor("negative_prompt_embeds", pair.negative());
            contexts = PromptContexts.fixed(
                    NDArrays.concat(new NDList(repeat(pair.negative(), b), repeat(pair.positive(), b)), 0), b, true);
        } else if (plan.isPlain()) {
            // no guidance (cfg <= 1): one UNet call per step on the prompt alone; the negative prompt is not encoded
            NDArray positive = model.conditioner().encode(plan.parts().get(0).schedule().textAt(0), r.clipSkip(), run)
                    .embedding();
            tap.tensor("prompt_embeds", positive);
            contexts = PromptContexts.fixed(repeat(positive, b), b, false);
        } else {
            contexts = PromptContexts.scheduled(plan, model.conditioner(), r.clipSkip(), 1, b, r.guided(), run);
            tap.tensor("prompt_embeds", contexts.firstPositive());
        }
        cancelCheck(l, 0, r.steps());

        NoiseSource noise = BatchNoise.of(r.seed(), b, run);
        Shape latentShape = new Shape(b, model.vae().config().zChannels(), r.height() / 8, r.width() / 8);
        Schedule full = r.schedule();
        NDArray noise0 = noise.next(latentShape);
        tap.tensor("noise_0", noise0);

        Schedule schedule = full;
        NDArray x;
        InpaintLatents inpaint = null;
        if (r.mode() == GenerationMode.TXT2IMG) {
            x = noise0.mul((float) full.initNoiseSigma());
        } else {
            l.onStage("Encoding image");
            NDArray initLatents = repeat(encode(r.init(), run), b);
            schedule = full.forStrength(r.strength());
            if (r.mode() == GenerationMode.INPAINT) {
                inpaint = InpaintLatents.prepare(this, r, initLatents, noise0, schedule, run);
            }
            NDArray start = inpaint == null ? initLatents : tap.tensor("start_latents", inpaint.startLatents());
            x = r.strength() >= 1.0 && r.mode() == GenerationMode.INPAINT
                    ? noise0.mul((float) schedule.initNoiseSigma())
                    : schedule.addNoise(start, noise0, 0);
        }
        CfgDenoiser denoiser = new CfgDenoiser(model.unet(), contexts, r.cfg(), r.controls(),
                inpaint == null ? null : inpaint.unetExtra(), schedule.steps(), tap);
        LatentDecoder decoder = finalDecoder(r); // checked before the steps run
        StepHook hook = progressHook(l, inpaint, previewDecoder());
        NDArray latents = r.sampler().sampler(r.eta()).sample(denoiser, x, schedule, noise, hook);
        tap.tensor("latents_final", latents);
        l.onStage(decoder instanceof Taesd ? "Decoding (TAESD draft)" : "Decoding");
        return decode(latents, decoder, run);
    }

    /**
     * The memory a request needs with this model ({@link MemoryEstimate}); {@code controlWeightBytes}
     * counts ControlNet weights not loaded yet (0 when they are).
     */
    public static MemoryEstimate estimate(SdModel model, int width, int height, int batch, boolean guided,
            boolean encodes, int controls, long controlWeightBytes) {
        double weights = model.checkpoint().loadedWeightBytes(!model.loras().isEmpty()) + controlWeightBytes;
        return MemoryEstimate.of(model.unet().config(), model.vae().config(), weights, width, height, batch, guided,
                encodes, controls);
    }

    /** VAE encoder mean (no sampling) of an RGB image in [0,1], times the scaling factor. */
    NDArray encode(FloatImage image, NDManager m) {
        NDArray px = m.create(image.data(), new Shape(1, 3, image.height(), image.width()));
        NDArray in = px.mul(2f).sub(1f);
        int k = encodes++;
        tap.tensor("vae_encode_in_" + k, in);
        NDArray mean = tap.tensor("vae_encode_mean_" + k, model.vae().encode(in).mean());
        return mean.mul(SdModel.SCALING);
    }

    private List<FloatImage> decode(NDArray latents, LatentDecoder decoder, NDManager m) {
        List<FloatImage> out = new ArrayList<>();
        long b = latents.getShape().get(0);
        for (long i = 0; i < b; i++) {
            try (NDManager scope = m.newSubManager()) {
                NDArray z = latents.get(i + ":" + (i + 1));
                z.attach(scope);
                NDArray img = tap.tensor("image", decoder.decode(z));
                long[] s = img.getShape().getShape();
                out.add(new FloatImage((int) s[3], (int) s[2], 3, img.toFloatArray()));
            }
        }
        return out;
    }

    /** The final decode: the VAE, or TAESD for a draft ({@link GenerationRequest#draftDecode}). */
    private LatentDecoder finalDecoder(GenerationRequest r) {
        if (!r.draftDecode()) {
            return new VaeLatentDecoder(model.vae(), tap);
        }
        Taesd t = model.taesd();
        if (t == null) {
            throw new IllegalArgumentException("a TAESD draft decode needs TAESD weights (taesd_decoder.safetensors): "
                    + "none is loaded with this model");
        }
        return t;
    }

    /** Step previews: TAESD when the model has one, else the linear latent-to-RGB approximation. */
    private LatentDecoder previewDecoder() {
        Taesd t = model.taesd();
        return t != null ? t : LatentPreview.APPROXIMATION;
    }

    private StepHook progressHook(ProgressListener l, InpaintLatents inpaint, LatentDecoder preview) {
        long[] last = {System.nanoTime()};
        return new StepHook() {
            @Override
            public NDArray afterStep(int i, int n, NDArray latents) {
                throw new IllegalStateException("the sampling loop passes the predicted clean latents");
            }

            @Override
            public NDArray afterStep(int i, int n, NDArray latents, Supplier<NDArray> predictedClean) {
                NDArray out = inpaint == null ? latents : inpaint.blend(i, n, latents);
                if (i < 2) {
                    tap.tensor("latents_step" + i, out);
                }
                long now = System.nanoTime();
                double secs = (now - last[0]) / 1e9;
                last[0] = now;
                l.onStep(i + 1, n, secs, () -> LatentPreview.first(preview, predictedClean.get()));
                cancelCheck(l, i + 1, n);
                return out;
            }
        };
    }

    private static void cancelCheck(ProgressListener l, int step, int total) {
        if (l.isCancelled()) {
            throw new GenerationCancelledException(step, total);
        }
    }

    private static NDArray repeat(NDArray x, int b) {
        return b == 1 ? x : x.repeat(0, b);
    }

    SdModel model() {
        return model;
    }

    Tap tapper() {
        return tap;
    }
}
