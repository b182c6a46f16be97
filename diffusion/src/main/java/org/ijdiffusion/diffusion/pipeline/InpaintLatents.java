package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.sampling.Schedule;

/**
 * Inpainting in latent space, as the noise contract says: mask >= 0.5 is repainted; a 9-channel
 * model gets cat(latents, mask, masked-image latents); a regular 4-channel model gets its latents
 * outside the mask replaced after every step by the image latents noised to the next timestep
 * (un-noised after the last step). The pixel mask reaches latent size by nearest sampling (every
 * 8th pixel), for binary and soft masks alike.
 *
 * <p>Soft masks ({@link GenerationRequest#softMask()}) follow Differential Diffusion (Levin and
 * Fried 2023): a mask level m in [0,1] is a per-pixel strength. After step i of n the latent pixel is
 * kept from the noised original while {@code m <= 1 - (i+1)/n} and left to the sampler once
 * {@code m > 1 - (i+1)/n} (n = the steps actually run, after denoising strength); so it evolves freely during the last m*n steps only, and a pixel at 0.5
 * changes about half as much as one at 1. For 0/1 masks this is exactly the binary blend above
 * (m = 1 is never kept, m = 0 is always kept). With a 9-channel model, the model's own mask channel
 * stays binary (m >= 0.5) and the per-step keep rule applies to the grey pixels (0 < m < 1) only,
 * so a 0/1 mask again gives exactly the binary result.
 *
 * <p>Masked content (A1111 modules/processing.py, StableDiffusionProcessingImg2Img.init, where
 * {@code latmask} is the mask at latent size, rounded unless soft inpainting is on):
 * {@code inpainting_fill == 2} (latent noise): {@code init_latent = init_latent * (1 - latmask) +
 * create_random_tensors(shape, seeds) * latmask}, the random tensors being the same draw from the
 * same seeds as the sampler's first noise, so here: {@code noise_0}; {@code inpainting_fill == 3}
 * (latent nothing): {@code init_latent = init_latent * (1 - latmask)}. Only the start latents change;
 * the per-step blend keeps the original image latents outside the mask.
 */
final class InpaintLatents {
    private final NDArray latentMask;
    private final NDArray imageLatents;
    private final NDArray noise0;
    private final Schedule schedule;
    private final NDArray unetExtra;
    /** Soft mode: the latent mask levels, else null. */
    private final NDArray softLevels;
    private final MaskedContent content;

    private InpaintLatents(NDArray latentMask, NDArray imageLatents, NDArray noise0, Schedule schedule, NDArray extra,
            NDArray softLevels, MaskedContent content) {
        this.latentMask = latentMask;
        this.imageLatents = imageLatents;
        this.noise0 = noise0;
        this.schedule = schedule;
        this.unetExtra = extra;
        this.softLevels = softLevels;
        this.content = content;
    }

    static InpaintLatents prepare(Pipeline p, GenerationRequest r, NDArray imageLatents, NDArray noise0,
            Schedule schedule, NDManager m) {
        FloatImage mask = r.mask();
        int b = r.batch();
        float[] binary = new float[mask.width() * mask.height()];
        float[] md = mask.data();
        for (int i = 0; i < binary.length; i++) {
            binary[i] = md[i] >= 0.5f ? 1f : 0f;
        }
        NDArray pixelMask = m.create(binary, new Shape(1, 1, mask.height(), mask.width()));
        NDArray latentMask = nearestDown8(pixelMask);
        NDArray soft = r.softMask()
                ? nearestDown8(m.create(md, new Shape(1, 1, mask.height(), mask.width())))
                : null;
        int unetIn = p.model().unet().config().inChannels();
        int latentCh = p.model().vae().config().zChannels();
        NDArray extra = null;
        if (unetIn == 2 * latentCh + 1) {
            FloatImage init = r.init();
            float[] keep = init.data().clone();
            int n = init.width() * init.height();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    // masked image = image in [-1,1] x (mask < 0.5): masked pixels become 0 there
                    keep[c * n + i] = binary[i] < 0.5f ? keep[c * n + i] : 0.5f;
                }
            }
            NDArray maskedLatents = p.encode(new FloatImage(init.width(), init.height(), 3, keep), m);
            p.tapper().tensor("masked_image_latents", maskedLatents);
            extra = NDArrays.concat(new NDList(latentMask, maskedLatents), 1);
            extra = b == 1 ? extra : extra.repeat(0, b);
        } else if (unetIn != latentCh) {
            throw new IllegalArgumentException("this UNet takes " + unetIn + " input channels; inpainting needs "
                    + latentCh + " (regular) or " + (2 * latentCh + 1) + " (inpainting model)");
        }
        return new InpaintLatents(latentMask, imageLatents, noise0, schedule, extra, soft, r.maskedContent());
    }

    /** Nearest-neighbour resize by 1/8 (torch interpolate 'nearest': source index = 8 * i). */
    private static NDArray nearestDown8(NDArray pixelMask) {
        long h = pixelMask.getShape().get(2);
        long w = pixelMask.getShape().get(3);
        return pixelMask.get(":, :, 0:" + h + ":8, 0:" + w + ":8");
    }

    /** Extra UNet input channels for 9-channel models, else null. */
    NDArray unetExtra() {
        return unetExtra;
    }

    /** The latents the sampler starts from before noising: the image latents after "masked content". */
    NDArray startLatents() {
        NDArray repaint = softLevels != null ? softLevels : latentMask;
        switch (content) {
            case LATENT_NOISE:
                return imageLatents.mul(repaint.neg().add(1f)).add(noise0.mul(repaint));
            case LATENT_NOTHING:
                return imageLatents.mul(repaint.neg().add(1f));
            default:
                return imageLatents;
        }
    }

    /** After step {@code i} of {@code n}: the blend of the class comment (identity for 9-channel binary). */
    NDArray blend(int i, int n, NDArray latents) {
        NDArray free = free(i, n);
        if (free == null) {
            return latents;
        }
        NDArray proper = i < n - 1 ? schedule.addNoise(imageLatents, noise0, i + 1) : imageLatents;
        return proper.mul(free.neg().add(1f)).add(free.mul(latents));
    }

    /** 1 where the sampler's latents are kept after step i, 0 where the noised original replaces them; null: all free. */
    private NDArray free(int i, int n) {
        if (softLevels == null) {
            return unetExtra != null ? null : latentMask;
        }
        float threshold = 1f - (float) (i + 1) / n;
        NDArray free = softLevels.gt(threshold).toType(softLevels.getDataType(), false);
        if (unetExtra != null) {
            // 9-channel: the model handles 0 and 1 itself; the keep rule acts on grey levels only
            free = free.add(softLevels.eq(0f).toType(softLevels.getDataType(), false));
        }
        return free;
    }
}
