package org.ijdiffusion.preprocessors.pose;

import org.opencv.core.Mat;

/** What gives part heatmaps and affinity fields for a BGR picture: the pose network (or a test's stand-in). */
interface PoseMapSource {
    /** Maps at the picture's own size. */
    PoseMaps run(Mat bgr);

    String description();
}
