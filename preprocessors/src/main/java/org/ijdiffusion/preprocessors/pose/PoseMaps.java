package org.ijdiffusion.preprocessors.pose;

/**
 * Network output brought back to the image: 18 part heatmaps and 38 part-affinity channels,
 * each {@code width * height} floats in row-major order.
 */
record PoseMaps(int width, int height, float[][] heatmaps, float[][] pafs) {
}
