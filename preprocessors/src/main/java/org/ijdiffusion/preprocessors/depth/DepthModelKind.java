package org.ijdiffusion.preprocessors.depth;

/** Input convention of a depth network; both output relative inverse depth (larger = nearer). */
public enum DepthModelKind {
    /**
     * Depth Anything V2: short side scaled to 518 (bicubic), both sides multiples of 14 (never
     * below 518), RGB/255 normalised with the ImageNet mean and std.
     */
    DEPTH_ANYTHING_V2,
    /** MiDaS / DPT: run at the detect resolution, RGB/127.5 - 1. */
    MIDAS
}
