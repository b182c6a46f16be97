package org.ijdiffusion.preprocessors.canny;

import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.Mats;
import org.ijdiffusion.preprocessors.OpenCv;
import org.ijdiffusion.preprocessors.RgbImage;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** The Canny control map: OpenCV Canny on the 8-bit RGB image (aperture 3, L1 gradient, no blur). */
public final class CannyDetector {
    public static final int DEFAULT_LOW = 100;
    public static final int DEFAULT_HIGH = 200;

    private CannyDetector() {
    }

    /** Edges of {@code img} at its own size, 0/255 in all three channels. */
    public static RgbImage edges(RgbImage img, int low, int high) {
        checkThresholds(low, high);
        OpenCv.load();
        Mat rgb = Mats.toRgbMat(img);
        Mat e = new Mat();
        try {
            Imgproc.Canny(rgb, e, low, high, 3, false);
            return Mats.toRgbImage(e);
        } finally {
            rgb.release();
            e.release();
        }
    }

    /** The full map: resize to the detect resolution, Canny, resize to {@code outW x outH}. */
    public static RgbImage map(RgbImage img, int low, int high, int resolution, int outW, int outH) {
        checkThresholds(low, high);
        OpenCv.load();
        Mat rgb = Mats.toRgbMat(img);
        Mat small = DetectResolution.resizeForDetection(rgb, resolution);
        Mat e = new Mat();
        Mat out = null;
        try {
            Imgproc.Canny(small, e, low, high, 3, false);
            out = DetectResolution.resizeMap(e, outW, outH);
            return Mats.toRgbImage(out);
        } finally {
            rgb.release();
            small.release();
            e.release();
            if (out != null) {
                out.release();
            }
        }
    }

    private static void checkThresholds(int low, int high) {
        if (low < 0 || high < 0 || low > high) {
            throw new IllegalArgumentException("Canny thresholds must satisfy 0 <= low <= high, got low="
                    + low + " high=" + high);
        }
    }
}
