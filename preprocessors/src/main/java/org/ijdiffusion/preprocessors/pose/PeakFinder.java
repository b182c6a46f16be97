package org.ijdiffusion.preprocessors.pose;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Part candidates: each heatmap is blurred with a Gaussian (sigma 3, reflecting border); a peak is
 * a pixel at least as high as its four neighbours (outside the image counts as 0) and above the
 * threshold; its score is the unblurred value. Peaks are listed row by row.
 */
final class PeakFinder {
    static final double SIGMA = 3;
    static final double THRESHOLD = 0.1;
    /** Kernel radius as in a Gaussian truncated at 4 sigma. */
    private static final int RADIUS = (int) (4 * SIGMA + 0.5);

    private PeakFinder() {
    }

    /** Peaks of every part heatmap; ids run over all parts in order. */
    static List<List<Peak>> find(PoseMaps maps) {
        List<List<Peak>> all = new ArrayList<>();
        int next = 0;
        for (float[] heat : maps.heatmaps()) {
            List<Peak> peaks = find(heat, maps.width(), maps.height(), next);
            next += peaks.size();
            all.add(peaks);
        }
        return all;
    }

    static List<Peak> find(float[] heat, int w, int h, int firstId) {
        float[] b = blur(heat, w, h);
        List<Peak> peaks = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float v = b[i];
                if (v > THRESHOLD
                        && v >= (x > 0 ? b[i - 1] : 0f) && v >= (x < w - 1 ? b[i + 1] : 0f)
                        && v >= (y > 0 ? b[i - w] : 0f) && v >= (y < h - 1 ? b[i + w] : 0f)) {
                    peaks.add(new Peak(x, y, heat[i], firstId + peaks.size()));
                }
            }
        }
        return peaks;
    }

    private static float[] blur(float[] heat, int w, int h) {
        Mat src = new Mat(h, w, CvType.CV_32F);
        Mat dst = new Mat();
        try {
            src.put(0, 0, heat);
            int k = 2 * RADIUS + 1;
            Imgproc.GaussianBlur(src, dst, new Size(k, k), SIGMA, SIGMA, Core.BORDER_REFLECT);
            float[] out = new float[w * h];
            dst.get(0, 0, out);
            return out;
        } finally {
            src.release();
            dst.release();
        }
    }
}
