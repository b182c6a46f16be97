package org.ijdiffusion.preprocessors.pose;

import org.opencv.imgproc.Imgproc;

/**
 * How an image is fed to a body-pose network and how its stride-8 output is brought back.
 *
 * @param netHeight height the image is scaled to (width keeps the aspect ratio)
 * @param multiple  the padded network input size is a multiple of this
 * @param roundWidth true: the width is rounded to {@code multiple} (tf-pose); false: padded right/bottom
 *                  with {@code mean} (CMU)
 * @param mean      value subtracted from every BGR channel
 * @param scale     factor applied after subtracting the mean
 * @param interpolation OpenCV interpolation used to scale the image to the network input
 * @param upsampleFirst true: upsample x8, crop the padding, then resize to the image (CMU);
 *                  false: resize the output straight to the image (tf-pose)
 */
record NetworkInput(int netHeight, int multiple, boolean roundWidth, double mean, double scale, int interpolation,
        boolean upsampleFirst) {

    static final int STRIDE = 8;

    /** tf-pose-estimation graphs: height 368 (bilinear), width rounded to multiples of 16, BGR - 127.5. */
    static final NetworkInput TF_POSE = new NetworkInput(368, 16, true, 127.5, 1.0, Imgproc.INTER_LINEAR, false);

    /** CMU COCO body model: height 184 (bicubic), padded to multiples of 8 with 128, BGR/256 - 0.5. */
    static final NetworkInput CMU = new NetworkInput(184, 8, false, 128, 1 / 256.0, Imgproc.INTER_CUBIC, true);
}
