package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The model seen by a sampler: the noise (epsilon) prediction for the model input at step i.
 * Classifier-free guidance, ControlNet and the inpainting 9-channel concat live behind this interface.
 * Arrays it creates while called inside a sampler step are freed at the end of that step.
 */
@FunctionalInterface
public interface EpsModel {
    NDArray eps(NDArray modelInput, float timestep, int stepIndex);
}
