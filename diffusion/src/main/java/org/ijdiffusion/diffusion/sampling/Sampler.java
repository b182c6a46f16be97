package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/** Runs a schedule's denoising steps from latents {@code x}; returns the final latents (a new array). */
public interface Sampler {
    /**
     * @param model the noise prediction
     * @param x starting latents (already scaled by the initial sigma / noised for img2img); not closed
     * @param schedule the steps to run
     * @param noise the generator for ancestral samplers (may be null for the deterministic ones)
     * @param hook called after each step (may be null)
     */
    NDArray sample(EpsModel model, NDArray x, Schedule schedule, NoiseSource noise, StepHook hook);
}
