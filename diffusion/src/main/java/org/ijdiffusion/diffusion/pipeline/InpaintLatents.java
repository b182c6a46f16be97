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
 * (un-noised after the last step).
 */
final class InpaintLatents {
    private final NDArray latentMask;
    private final NDArray imageLatents;
    private final NDArray noise0;
    private final Schedule schedule;
    private final NDArray unetExtra;

    private InpaintLatents(NDArray latentMask, NDArray imageLatents, NDArray noise0, Schedule schedule, NDArray extra) {
        this.latentMask = latentMask;
        this.imageLatents = imageLatents;
        this.noise0 = noise0;
        this.schedule = schedule;
        this.unetExtra = extra;
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
            return new InpaintLatents(latentMask, imageLatents, noise0, schedule, extra);
        }
        if (unetIn != latentCh) {
            throw new IllegalArgumentException("this UNet takes " + unetIn + " input channels; inpainting needs "
                    + latentCh + " (regular) or " + (2 * latentCh + 1) + " (inpainting model)");
        }
        return new InpaintLatents(latentMask, imageLatents, noise0, schedule, null);
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

    /** After step {@code i} of {@code n}: legacy blend for 4-channel models; identity for 9-channel. */
    NDArray blend(int i, int n, NDArray latents) {
        if (unetExtra != null) {
            return latents;
        }
        NDArray proper = i < n - 1 ? schedule.addNoise(imageLatents, noise0, i + 1) : imageLatents;
        return proper.mul(latentMask.neg().add(1f)).add(latentMask.mul(latents));
    }
}
