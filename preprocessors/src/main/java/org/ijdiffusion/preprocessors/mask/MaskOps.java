package org.ijdiffusion.preprocessors.mask;

import org.ijdiffusion.preprocessors.OpenCv;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Grow and blur (A1111 "mask blur") on 8-bit masks; results are new masks. */
public final class MaskOps {
    private MaskOps() {
    }

    /** Dilates by {@code px} pixels with a disc (a grey-level maximum filter for soft masks). */
    public static Mask grow(Mask m, int px) {
        if (px < 0) {
            throw new IllegalArgumentException("Mask grow must be >= 0 px, got " + px);
        }
        if (px == 0) {
            return m;
        }
        OpenCv.load();
        Mat src = toMat(m);
        Mat dst = new Mat();
        Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(2 * px + 1, 2 * px + 1));
        try {
            Imgproc.dilate(src, dst, kernel);
            return fromMat(dst);
        } finally {
            src.release();
            dst.release();
            kernel.release();
        }
    }

    /**
     * A1111 mask blur: a Gaussian of sigma {@code px}, kernel {@code 2 * int(2.5 * px + 0.5) + 1},
     * first along x, then along y, each pass rounded to 8 bits (OpenCV default border).
     */
    public static Mask blur(Mask m, int px) {
        if (px < 0) {
            throw new IllegalArgumentException("Mask blur must be >= 0 px, got " + px);
        }
        if (px == 0) {
            return m;
        }
        OpenCv.load();
        int k = 2 * (int) (2.5 * px + 0.5) + 1;
        Mat src = toMat(m);
        Mat tmp = new Mat();
        Mat dst = new Mat();
        try {
            Imgproc.GaussianBlur(src, tmp, new Size(k, 1), px);
            Imgproc.GaussianBlur(tmp, dst, new Size(1, k), px);
            return fromMat(dst);
        } finally {
            src.release();
            tmp.release();
            dst.release();
        }
    }

    /** Grow, then blur: the region whose pixels may change. */
    public static Mask growAndBlur(Mask m, int growPx, int blurPx) {
        return blur(grow(m, growPx), blurPx);
    }

    /** Resizes (area averaging when shrinking, bilinear when enlarging); the same mask when the size matches. */
    public static Mask resize(Mask m, int width, int height) {
        if (m.width() == width && m.height() == height) {
            return m;
        }
        OpenCv.load();
        Mat src = toMat(m);
        Mat dst = new Mat();
        try {
            boolean enlarge = (long) width * height > (long) m.width() * m.height();
            Imgproc.resize(src, dst, new Size(width, height), 0, 0, enlarge ? Imgproc.INTER_LINEAR : Imgproc.INTER_AREA);
            return fromMat(dst);
        } finally {
            src.release();
            dst.release();
        }
    }

    static Mat toMat(Mask m) {
        Mat mat = new Mat(m.height(), m.width(), CvType.CV_8UC1);
        mat.put(0, 0, m.values());
        return mat;
    }

    static Mask fromMat(Mat mat) {
        byte[] v = new byte[mat.rows() * mat.cols()];
        mat.get(0, 0, v);
        return new Mask(mat.cols(), mat.rows(), v);
    }
}
