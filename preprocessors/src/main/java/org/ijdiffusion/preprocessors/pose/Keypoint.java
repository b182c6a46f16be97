package org.ijdiffusion.preprocessors.pose;

/** One body keypoint in canvas pixels, with the network's confidence. */
public record Keypoint(double x, double y, double score) {
}
