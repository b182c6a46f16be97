package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The narrow entry through which ControlNet (another module) reaches the UNet: for one UNet call,
 * the residuals to add to its 12 skip connections and its mid block. Implementations live in the
 * controlnet module; the engine only adds what they return.
 */
public interface ControlSource {
    /**
     * Residuals for the UNet call on {@code sample} (latent channels only; with CFG the batch is
     * [uncond..., cond...] and its first {@code uncondCount} items are unconditional), or null when
     * this unit is off at this step. Returns the down residuals followed by the mid residual, for the
     * whole batch (a unit acting on the conditional half only returns zeros for the other half).
     */
    NDList residuals(NDArray sample, float timestep, NDArray context, int uncondCount, int stepIndex, int steps);

    /** For the PNG infotext: A1111's "ControlNet 0: ..." description of this unit. */
    String describe();
}
