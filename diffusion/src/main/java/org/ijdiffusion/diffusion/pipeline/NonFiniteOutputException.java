package org.ijdiffusion.diffusion.pipeline;

import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The UNet's output held NaN or infinite values at a step: the run stops (as A1111 does with "A tensor
 * with all NaNs was produced in Unet") instead of decoding a black picture. The weights passed the
 * finiteness check, so the values overflowed in the computation: the model (or a LoRA merged into it)
 * cannot run at these settings. A model problem, so a {@link ModelFileException} (bad input, exit 2).
 */
public final class NonFiniteOutputException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    NonFiniteOutputException(int step, int steps) {
        super("A tensor with NaN or infinite values was produced in Unet at step " + (step + 1) + " of " + steps
                + ": the model's weights overflow at these settings (a broken merge or LoRA, or an"
                + " extreme --cfg?). The run was stopped; nothing was written.");
    }
}
