package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Checks of what a caller passes to the UNet, with messages that say what is wrong. */
final class UnetInputs {
    private UnetInputs() {
    }

    static void checkTimesteps(NDArray sample, NDArray timesteps) {
        long b = sample.getShape().get(0);
        long n = timesteps.getShape().size();
        if (n != b) {
            throw new IllegalArgumentException("Got " + n + " timesteps for a batch of " + b
                    + "; give one per sample (or use the single-timestep forward).");
        }
    }

    static void check(UnetConfig c, NDArray sample, NDArray context, List<NDArray> down, NDArray mid) {
        Shape s = sample.getShape();
        if (s.dimension() != 4 || s.get(1) != c.inChannels()) {
            throw new IllegalArgumentException("The UNet takes latents [B, " + c.inChannels() + ", H, W]"
                    + (c.inChannels() == 9 ? " (inpainting model: latents, mask, masked-image latents)" : "")
                    + " but got " + s + ".");
        }
        long b = s.get(0);
        Shape cs = context.getShape();
        if (cs.dimension() != 3 || cs.get(0) != b || cs.get(2) != c.contextDim()) {
            throw new IllegalArgumentException("The UNet takes a text context [" + b + ", L, " + c.contextDim()
                    + "] but got " + cs + ". Was the prompt encoded with the matching text encoder?");
        }
        List<Integer> skipChannels = c.skipChannels();
        if (down != null && down.size() != skipChannels.size()) {
            throw new IllegalArgumentException("Got " + down.size() + " ControlNet down residuals; this UNet has "
                    + skipChannels.size() + " skip connections.");
        }
        if (down != null) {
            for (int i = 0; i < down.size(); i++) {
                Shape r = down.get(i).getShape();
                if (r.dimension() != 4 || r.get(1) != skipChannels.get(i)) {
                    throw new IllegalArgumentException("ControlNet residual " + i + " has shape " + r
                            + " but skip connection " + i + " has " + skipChannels.get(i) + " channels.");
                }
            }
        }
        if (mid != null && (mid.getShape().dimension() != 4 || mid.getShape().get(1) != c.midChannels())) {
            throw new IllegalArgumentException("ControlNet mid residual has shape " + mid.getShape()
                    + " but the middle block has " + c.midChannels() + " channels.");
        }
    }
}
