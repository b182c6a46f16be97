package org.ijdiffusion.preprocessors.pose;

import org.opencv.core.Mat;

/**
 * A stand-in for the pose network that really looks at its input: joint j is a small square of
 * colour {@link #marker(int)} in the picture; it finds each square (pixels near that colour, their
 * centroid) in the detect-size picture it is given, puts a heatmap peak there and fills the limbs'
 * affinity fields with their unit vectors. So the detector's whole path (resize, maps, peaks,
 * assembly, back to image pixels) runs on a picture whose true keypoints are known.
 */
final class MarkerMaps implements PoseMapSource {
    /** Joint j's marker colour, 0xRRGGBB. */
    static int marker(int j) {
        return (50 << 16) | (200 << 8) | (10 + 12 * j);
    }

    @Override
    public PoseMaps run(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        byte[] px = new byte[w * h * 3];
        bgr.get(0, 0, px);
        double[][] at = new double[BodyLayout.PARTS][];
        for (int j = 0; j < BodyLayout.PARTS; j++) {
            int c = marker(j);
            double sx = 0;
            double sy = 0;
            int n = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    // the square's inside only: it and its 4 neighbours have the colour (Lanczos rings
                    // at the square's edges can come close to another marker's colour)
                    int i = y * w + x;
                    if (is(px, i, c) && is(px, i - 1, c) && is(px, i + 1, c) && is(px, i - w, c) && is(px, i + w, c)) {
                        sx += x;
                        sy += y;
                        n++;
                    }
                }
            }
            if (n >= 3) {
                at[j] = new double[] {Math.rint(sx / n), Math.rint(sy / n)};
            }
        }
        float[][] heat = new float[BodyLayout.PARTS][w * h];
        for (int j = 0; j < BodyLayout.PARTS; j++) {
            if (at[j] != null) {
                for (int i = 0; i < w * h; i++) {
                    double dx = i % w - at[j][0];
                    double dy = i / w - at[j][1];
                    heat[j][i] = (float) Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
                }
            }
        }
        float[][] pafs = new float[38][w * h];
        for (int k = 0; k < BodyLayout.LIMBS.length; k++) {
            double[] a = at[BodyLayout.LIMBS[k][0]];
            double[] b = at[BodyLayout.LIMBS[k][1]];
            if (a == null || b == null) {
                continue;
            }
            double len = Math.hypot(b[0] - a[0], b[1] - a[1]);
            double ux = (b[0] - a[0]) / len;
            double uy = (b[1] - a[1]) / len;
            for (int i = 0; i < w * h; i++) {
                double dx = i % w - a[0];
                double dy = i / w - a[1];
                double t = dx * ux + dy * uy;
                if (t >= -2 && t <= len + 2 && Math.abs(-dx * uy + dy * ux) <= 3) {
                    pafs[BodyLayout.PAF_CHANNELS[k][0]][i] = (float) ux;
                    pafs[BodyLayout.PAF_CHANNELS[k][1]][i] = (float) uy;
                }
            }
        }
        return new PoseMaps(w, h, heat, pafs);
    }

    private static boolean is(byte[] px, int i, int c) {
        int b = px[3 * i] & 0xFF;
        int g = px[3 * i + 1] & 0xFF;
        int r = px[3 * i + 2] & 0xFF;
        return Math.abs(b - (c & 0xFF)) <= 4 && Math.abs(g - 200) <= 8 && Math.abs(r - 50) <= 8;
    }

    @Override
    public String description() {
        return "marker finder (test)";
    }
}
