package org.ijdiffusion.preprocessors.mask;

import org.ijdiffusion.preprocessors.Mats;
import org.ijdiffusion.preprocessors.OpenCv;
import org.ijdiffusion.preprocessors.RgbImage;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Cuts the inpaint area out of an image and blends a generated result back: where the (grown and
 * blurred) mask is 0 the source pixels come back bit-identical, where it is 255 the generated ones.
 */
public final class PasteBack {
    private PasteBack() {
    }

    /** The pixels of {@code box} (a new image). */
    public static RgbImage crop(RgbImage img, CropBox box) {
        check(img.width(), img.height(), box);
        int[] px = new int[box.width() * box.height()];
        for (int y = 0; y < box.height(); y++) {
            System.arraycopy(img.argb(), (box.y() + y) * img.width() + box.x(), px, y * box.width(), box.width());
        }
        return new RgbImage(box.width(), box.height(), px);
    }

    /** The values of {@code box} (a new mask). */
    public static Mask crop(Mask m, CropBox box) {
        check(m.width(), m.height(), box);
        byte[] v = new byte[box.width() * box.height()];
        for (int y = 0; y < box.height(); y++) {
            System.arraycopy(m.values(), (box.y() + y) * m.width() + box.x(), v, y * box.width(), box.width());
        }
        return new Mask(box.width(), box.height(), v);
    }

    /** Resizes (Lanczos-4 when enlarging, area when shrinking); the same image when the size matches. */
    public static RgbImage resize(RgbImage img, int width, int height) {
        if (img.width() == width && img.height() == height) {
            return img;
        }
        OpenCv.load();
        Mat src = Mats.toRgbMat(img);
        Mat dst = new Mat();
        try {
            boolean enlarge = (long) width * height > (long) img.width() * img.height();
            Imgproc.resize(src, dst, new Size(width, height), 0, 0,
                    enlarge ? Imgproc.INTER_LANCZOS4 : Imgproc.INTER_AREA);
            return Mats.toRgbImage(dst);
        } finally {
            src.release();
            dst.release();
        }
    }

    /**
     * A new image: {@code source} with {@code generated} (any size; resized to the box) blended into
     * {@code box} by {@code mask} (full image size): out = src + (gen - src) * m / 255, rounded.
     */
    public static RgbImage blend(RgbImage source, RgbImage generated, CropBox box, Mask mask) {
        check(source.width(), source.height(), box);
        if (mask.width() != source.width() || mask.height() != source.height()) {
            throw new IllegalArgumentException("Mask is " + mask.width() + "x" + mask.height() + " but the image is "
                    + source.width() + "x" + source.height());
        }
        RgbImage gen = resize(generated, box.width(), box.height());
        int[] out = source.argb().clone();
        int w = source.width();
        for (int y = 0; y < box.height(); y++) {
            for (int x = 0; x < box.width(); x++) {
                int i = (box.y() + y) * w + box.x() + x;
                int m = mask.values()[i] & 0xFF;
                if (m != 0) {
                    out[i] = mix(out[i], gen.argb()[y * box.width() + x], m);
                }
            }
        }
        return new RgbImage(w, source.height(), out);
    }

    private static int mix(int src, int gen, int m) {
        int r = 0xFF000000;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int s = (src >> shift) & 0xFF;
            int g = (gen >> shift) & 0xFF;
            int v = s + Math.round((g - s) * m / 255f);
            r |= v << shift;
        }
        return r;
    }

    private static void check(int w, int h, CropBox box) {
        if (box.x() < 0 || box.y() < 0 || box.x() + box.width() > w || box.y() + box.height() > h) {
            throw new IllegalArgumentException("Crop box " + box + " is outside the " + w + "x" + h + " image");
        }
    }
}
