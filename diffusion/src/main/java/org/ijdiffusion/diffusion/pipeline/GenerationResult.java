package org.ijdiffusion.diffusion.pipeline;

import java.util.List;

/** The images of one request (one per batch item) and the exact parameters used. */
public record GenerationResult(List<FloatImage> images, long seed, String infotext) {
}
