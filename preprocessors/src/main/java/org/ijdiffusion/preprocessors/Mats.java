package org.ijdiffusion.preprocessors;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Conversions between {@link RgbImage} and OpenCV 8-bit 3-channel RGB mats. */
public final class Mats {
    private Mats() {
    }

    /** A new CV_8UC3 mat in RGB channel order (the input array is only read). */
    public static Mat toRgbMat(RgbImage img) {
        OpenCv.load();
        int[] src = img.argb();
        byte[] buf = new byte[src.length * 3];
        for (int i = 0, j = 0; i < src.length; i++, j += 3) {
            int p = src[i];
            buf[j] = (byte) (p >> 16);
            buf[j + 1] = (byte) (p >> 8);
            buf[j + 2] = (byte) p;
        }
        Mat m = new Mat(img.height(), img.width(), CvType.CV_8UC3);
        m.put(0, 0, buf);
        return m;
    }

    /** Reads a CV_8UC3 RGB or CV_8UC1 grey mat (grey copied to the three channels). */
    public static RgbImage toRgbImage(Mat m) {
        int w = m.cols();
        int h = m.rows();
        int ch = m.channels();
        if (m.depth() != CvType.CV_8U || (ch != 1 && ch != 3)) {
            throw new IllegalArgumentException("Expected an 8-bit 1- or 3-channel mat, got " + m);
        }
        byte[] buf = new byte[w * h * ch];
        Mat src = m.isContinuous() ? m : m.clone();
        src.get(0, 0, buf);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int r;
            int g;
            int b;
            if (ch == 3) {
                r = buf[3 * i] & 0xFF;
                g = buf[3 * i + 1] & 0xFF;
                b = buf[3 * i + 2] & 0xFF;
            } else {
                r = g = b = buf[i] & 0xFF;
            }
            px[i] = 0xFF000000 | (r << 16) | (g << 8) | b;
        }
        if (src != m) {
            src.release();
        }
        return new RgbImage(w, h, px);
    }
}
