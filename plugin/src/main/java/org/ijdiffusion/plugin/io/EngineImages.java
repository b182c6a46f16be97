package org.ijdiffusion.plugin.io;

import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.preprocessors.RgbImage;

/** Between the preprocessors' plain image (8-bit ARGB) and the engine's (planar float in [0,1]). */
public final class EngineImages {
    private EngineImages() {
    }

    public static FloatImage rgb(RgbImage img) {
        return FloatImage.fromRgb(img.width(), img.height(), img.argb());
    }

    /** One channel from the grey level (Rec. 601 luma of RGB, as ImageJ's default conversion). */
    public static FloatImage gray(RgbImage img) {
        int[] p = img.argb();
        byte[] g = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            int r = (p[i] >> 16) & 0xff;
            int gr = (p[i] >> 8) & 0xff;
            int b = p[i] & 0xff;
            g[i] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
        }
        return FloatImage.fromGray(img.width(), img.height(), g);
    }

    public static RgbImage toRgb(FloatImage img) {
        int[] rgb = img.toRgb();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] |= 0xff000000;
        }
        return new RgbImage(img.width(), img.height(), rgb);
    }
}
