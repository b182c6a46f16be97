package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The model seen by a sampler: the noise (epsilon) prediction for the model input at step i.
 * Classifier-free guidance, ControlNet and the inpainting 9-channel concat live behind this interface.
 * Every array created during a call (by any manager, including results of ops on weights) is freed
 * at the end of that sampler step by the step's {@link ai.djl.ndarray.NDScope}: an implementation that
 * caches an array it makes inside {@code eps} must {@code NDScope.unregister} it (or make it before sampling).
 */
@FunctionalInterface
public interface EpsModel {
    NDArray eps(NDArray modelInput, float timestep, int stepIndex);
}
