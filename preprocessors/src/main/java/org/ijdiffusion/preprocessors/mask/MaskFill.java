package org.ijdiffusion.preprocessors.mask;

import org.ijdiffusion.preprocessors.Mats;
import org.ijdiffusion.preprocessors.OpenCv;
import org.ijdiffusion.preprocessors.RgbImage;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * A1111's "Masked content: fill" in image space: the masked area is pre-filled from its surroundings
 * (OpenCV inpainting, Telea's fast marching method) before the image is encoded. Pixels outside the
 * mask are not changed.
 */
public final class MaskFill {
    /** Neighbourhood radius of the Telea method, px. */
    public static final double RADIUS = 3;

    private MaskFill() {
    }

    /** A new image: {@code img} with the pixels where {@code mask >= threshold} filled from the others. */
    public static RgbImage fill(RgbImage img, Mask mask, int threshold) {
        if (mask.width() != img.width() || mask.height() != img.height()) {
            throw new IllegalArgumentException("Mask is " + mask.width() + "x" + mask.height() + " but the image is "
                    + img.width() + "x" + img.height());
        }
        OpenCv.load();
        Mat src = Mats.toRgbMat(img);
        Mat m = MaskOps.toMat(mask);
        Mat holes = new Mat();
        Mat dst = new Mat();
        try {
            Imgproc.threshold(m, holes, threshold - 1, 255, Imgproc.THRESH_BINARY);
            if (org.opencv.core.Core.countNonZero(holes) == holes.rows() * holes.cols()) {
                // nothing to fill from: a flat mid grey, as the latent "nothing" would decode to
                Mat grey = new Mat(src.rows(), src.cols(), CvType.CV_8UC3, new Scalar(127, 127, 127));
                RgbImage out = Mats.toRgbImage(grey);
                grey.release();
                return out;
            }
            Photo.inpaint(src, holes, dst, RADIUS, Photo.INPAINT_TELEA);
            return Mats.toRgbImage(dst);
        } finally {
            src.release();
            m.release();
            holes.release();
            dst.release();
        }
    }
}
