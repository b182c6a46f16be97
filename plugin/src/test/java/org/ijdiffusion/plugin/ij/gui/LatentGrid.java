package org.ijdiffusion.plugin.ij.gui;

import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

/**
 * How far an RGB picture is from one that ImageJ's bilinear resize makes out of a {@code w/8 x h/8} picture
 * (the latent approximation preview shown at the picture's size): the mean absolute difference, in 8-bit levels
 * per channel, between the picture and its least-squares fit by such an upscale. About 0.25 (rounding) for an
 * upscaled latent-sized picture, tens of levels for one with detail finer than the latent grid (TAESD's).
 * The resize's weights are read off ImageJ itself (the resize of each unit sample), not assumed.
 */
final class LatentGrid {
    private LatentGrid() {
    }

    static double residual(int[] rgb, int w, int h) {
        double[][] px = projection(w / 8, w);
        double[][] py = projection(h / 8, h);
        double sum = 0;
        double[][] v = new double[h][w];
        double[][] t = new double[h][w];
        for (int shift = 0; shift < 24; shift += 8) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[y][x] = (rgb[y * w + x] >> shift) & 255;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = 0; k < w; k++) {
                        s += v[y][k] * px[k][x];
                    }
                    t[y][x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = 0; k < h; k++) {
                        s += py[y][k] * t[k][x];
                    }
                    sum += Math.abs(s - v[y][x]);
                }
            }
        }
        return sum / (3.0 * w * h);
    }

    /** The big x big projection onto the upscales of n samples: A (A^T A)^-1 A^T, A's columns ImageJ's resizes. */
    private static double[][] projection(int n, int big) {
        double[][] a = new double[big][n];
        for (int i = 0; i < n; i++) {
            FloatProcessor unit = new FloatProcessor(n, 2); // two rows: a one-row resize maps positions differently
            unit.setf(i, 0, 1);
            unit.setf(i, 1, 1);
            unit.setInterpolationMethod(ImageProcessor.BILINEAR);
            ImageProcessor r = unit.resize(big, 2);
            for (int x = 0; x < big; x++) {
                a[x][i] = r.getf(x, 0);
            }
        }
        double[][] ata = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int x = 0; x < big; x++) {
                    ata[i][j] += a[x][i] * a[x][j];
                }
            }
        }
        double[][] inv = invert(ata);
        double[][] p = new double[big][big];
        for (int x = 0; x < big; x++) {
            for (int y = 0; y < big; y++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        s += a[x][i] * inv[i][j] * a[y][j];
                    }
                }
                p[x][y] = s;
            }
        }
        return p;
    }

    /** Gauss-Jordan with partial pivoting (A^T A is small, symmetric and positive definite). */
    private static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] row = a[c];
            a[c] = a[piv];
            a[piv] = row;
            double d = a[c][c];
            for (int k = 0; k < 2 * n; k++) {
                a[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], n, out[i], 0, n);
        }
        return out;
    }
}
