package org.ijdiffusion.preprocessors;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The detect-resolution rule shared by all control maps: scale so the short side is
 * {@code resolution}, round both sides to multiples of 64 (Lanczos-4 when enlarging, area when
 * shrinking); maps go back to the generation size with bilinear interpolation.
 */
public final class DetectResolution {
    public static final int DEFAULT = 512;

    private DetectResolution() {
    }

    /** {width, height} the detector runs at. */
    public static int[] size(int width, int height, int resolution) {
        if (resolution < 64) {
            throw new IllegalArgumentException("Detect resolution must be at least 64, got " + resolution);
        }
        double k = resolution / (double) Math.min(width, height);
        int w = (int) Math.rint(width * k / 64.0) * 64;
        int h = (int) Math.rint(height * k / 64.0) * 64;
        return new int[] {Math.max(64, w), Math.max(64, h)};
    }

    /** A new mat at the detect size. */
    public static Mat resizeForDetection(Mat img, int resolution) {
        int[] s = size(img.cols(), img.rows(), resolution);
        double k = resolution / (double) Math.min(img.cols(), img.rows());
        Mat out = new Mat();
        Imgproc.resize(img, out, new Size(s[0], s[1]), 0, 0, k > 1 ? Imgproc.INTER_LANCZOS4 : Imgproc.INTER_AREA);
        return out;
    }

    /** A new mat at the output size (bilinear), or a copy when the size already matches. */
    public static Mat resizeMap(Mat map, int width, int height) {
        Mat out = new Mat();
        if (map.cols() == width && map.rows() == height) {
            map.copyTo(out);
        } else {
            Imgproc.resize(map, out, new Size(width, height), 0, 0, Imgproc.INTER_LINEAR);
        }
        return out;
    }
}
