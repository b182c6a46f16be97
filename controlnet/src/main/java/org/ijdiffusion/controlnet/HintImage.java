package org.ijdiffusion.controlnet;

import java.util.Arrays;
import org.ijdiffusion.diffusion.pipeline.FloatImage;

/**
 * Brings a control image to the generation size with a {@link ResizeMode}. Resampling is separable:
 * area averaging when shrinking (as OpenCV's INTER_AREA), bilinear with pixel-centre alignment when
 * enlarging (INTER_LINEAR). Pure Java: this module does not see OpenCV.
 */
public final class HintImage {
    private HintImage() {
    }

    public static FloatImage fit(FloatImage src, int w, int h, ResizeMode mode) {
        int sw = src.width();
        int sh = src.height();
        switch (mode) {
            case JUST_RESIZE:
                return resample(src, w, h);
            case CROP_AND_RESIZE: {
                double k = Math.max((double) w / sw, (double) h / sh);
                int cw = Math.max(w, (int) Math.round(sw * k));
                int ch = Math.max(h, (int) Math.round(sh * k));
                FloatImage scaled = resample(src, cw, ch);
                return crop(scaled, (cw - w) / 2, (ch - h) / 2, w, h);
            }
            case RESIZE_AND_FILL: {
                double k = Math.min((double) w / sw, (double) h / sh);
                int fw = Math.max(1, Math.min(w, (int) Math.round(sw * k)));
                int fh = Math.max(1, Math.min(h, (int) Math.round(sh * k)));
                FloatImage scaled = resample(src, fw, fh);
                return pad(scaled, w, h, medianBorder(src));
            }
            default:
                throw new IllegalArgumentException(String.valueOf(mode));
        }
    }

    static FloatImage crop(FloatImage s, int x0, int y0, int w, int h) {
        int c = s.channels();
        float[] out = new float[c * w * h];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(s.data(), k * s.width() * s.height() + (y + y0) * s.width() + x0, out, k * w * h + y * w, w);
            }
        }
        return new FloatImage(w, h, c, out);
    }

    static FloatImage pad(FloatImage s, int w, int h, float[] fill) {
        int c = s.channels();
        float[] out = new float[c * w * h];
        int x0 = (w - s.width()) / 2;
        int y0 = (h - s.height()) / 2;
        for (int k = 0; k < c; k++) {
            Arrays.fill(out, k * w * h, (k + 1) * w * h, fill[k]);
            for (int y = 0; y < s.height(); y++) {
                System.arraycopy(s.data(), k * s.width() * s.height() + y * s.width(), out,
                        k * w * h + (y + y0) * w + x0, s.width());
            }
        }
        return new FloatImage(w, h, c, out);
    }

    /** Per channel, the median of the image's border pixels (what sd-webui-controlnet pads with). */
    static float[] medianBorder(FloatImage s) {
        int w = s.width();
        int h = s.height();
        float[] fill = new float[s.channels()];
        for (int k = 0; k < s.channels(); k++) {
            float[] border = new float[2 * w + 2 * h];
            int n = 0;
            int base = k * w * h;
            for (int x = 0; x < w; x++) {
                border[n++] = s.data()[base + x];
                border[n++] = s.data()[base + (h - 1) * w + x];
            }
            for (int y = 0; y < h; y++) {
                border[n++] = s.data()[base + y * w];
                border[n++] = s.data()[base + y * w + w - 1];
            }
            Arrays.sort(border, 0, n);
            fill[k] = n % 2 == 1 ? border[n / 2] : (border[n / 2 - 1] + border[n / 2]) / 2f;
        }
        return fill;
    }

    /** Resamples every channel to w x h. */
    public static FloatImage resample(FloatImage s, int w, int h) {
        if (s.width() == w && s.height() == h) {
            return s;
        }
        Weights wx = Weights.of(s.width(), w);
        Weights wy = Weights.of(s.height(), h);
        int c = s.channels();
        float[] out = new float[c * w * h];
        float[] rows = new float[s.height() * w];
        for (int k = 0; k < c; k++) {
            int base = k * s.width() * s.height();
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < w; x++) {
                    rows[y * w + x] = wx.apply(s.data(), base + y * s.width(), 1, x);
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[k * w * h + y * w + x] = wy.apply(rows, x, w, y);
                }
            }
        }
        return new FloatImage(w, h, c, out);
    }

    /** For each output index, the source indices and weights along one axis. */
    private record Weights(int[][] index, float[][] weight) {
        static Weights of(int in, int out) {
            int[][] idx = new int[out][];
            float[][] wt = new float[out][];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                if (scale > 1) { // area: the source interval [o*scale, (o+1)*scale)
                    double a = o * scale;
                    double b = Math.min(in, (o + 1) * scale);
                    int i0 = (int) Math.floor(a);
                    int i1 = Math.min(in - 1, (int) Math.ceil(b) - 1);
                    idx[o] = new int[i1 - i0 + 1];
                    wt[o] = new float[i1 - i0 + 1];
                    for (int i = i0; i <= i1; i++) {
                        double cover = Math.min(b, i + 1) - Math.max(a, i);
                        idx[o][i - i0] = i;
                        wt[o][i - i0] = (float) (cover / (b - a));
                    }
                } else { // bilinear, pixel centres aligned
                    double src = (o + 0.5) * scale - 0.5;
                    int i0 = (int) Math.floor(src);
                    double f = src - i0;
                    int a = Math.max(0, Math.min(in - 1, i0));
                    int b = Math.max(0, Math.min(in - 1, i0 + 1));
                    idx[o] = new int[] {a, b};
                    wt[o] = new float[] {(float) (1 - f), (float) f};
                }
            }
            return new Weights(idx, wt);
        }

        float apply(float[] data, int offset, int stride, int o) {
            float v = 0;
            for (int j = 0; j < index[o].length; j++) {
                v += data[offset + index[o][j] * stride] * weight[o][j];
            }
            return v;
        }
    }
}
