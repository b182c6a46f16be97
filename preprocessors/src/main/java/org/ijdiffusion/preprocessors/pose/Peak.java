package org.ijdiffusion.preprocessors.pose;

/** A heatmap peak: pixel position, unblurred score, id unique over all parts of one image. */
record Peak(int x, int y, double score, int id) {
}
