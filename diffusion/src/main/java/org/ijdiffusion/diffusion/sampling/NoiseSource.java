package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Draws standard normal noise, in order, from the request's one generator (see FIXTURES noise contract). */
@FunctionalInterface
public interface NoiseSource {
    NDArray next(Shape shape);
}
