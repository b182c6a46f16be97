package org.ijdiffusion.plugin.ij;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.ij.core.Sizes;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * ImageJ processors to and from the suite's plain images. RGB is taken as it is; 8-, 16- and 32-bit
 * grey images are scaled to 0-255 through their display range (what the user sees, as ImageJ's
 * "Type > RGB Color" does) and used as grey RGB. Never modifies the source.
 */
public final class IjImages {
    private IjImages() {
    }

    /** The processor as RGB (grey through its display range; LUT colours of 8-bit images applied). */
    public static RgbImage rgb(ImageProcessor ip) {
        ImageProcessor src = ip.duplicate(); // conversions must not touch the user's processor
        ColorProcessor cp = (ColorProcessor) src.convertToRGB();
        int[] px = ((int[]) cp.getPixels()).clone();
        for (int i = 0; i < px.length; i++) {
            px[i] |= 0xff000000;
        }
        return new RgbImage(cp.getWidth(), cp.getHeight(), px);
    }

    /** The current slice of an image as RGB. */
    public static RgbImage rgb(ImagePlus imp) {
        return rgb(imp.getProcessor());
    }

    public static ColorProcessor processor(RgbImage img) {
        return new ColorProcessor(img.width(), img.height(), img.argb().clone());
    }

    public static ColorProcessor processor(FloatImage img) {
        return processor(EngineImages.toRgb(img));
    }

    /** {@code img} at the nearest multiple-of-8 size (bilinear), or itself when it already is. */
    public static RgbImage toMultipleOf8(RgbImage img) {
        int w = Sizes.multipleOf8(img.width());
        int h = Sizes.multipleOf8(img.height());
        return resize(img, w, h);
    }

    /** Bilinear resize (identity when the size is already right). */
    public static RgbImage resize(RgbImage img, int w, int h) {
        if (img.width() == w && img.height() == h) {
            return img;
        }
        ColorProcessor cp = processor(img);
        cp.setInterpolationMethod(ImageProcessor.BILINEAR);
        ColorProcessor r = (ColorProcessor) cp.resize(w, h, true);
        int[] px = (int[]) r.getPixels();
        for (int i = 0; i < px.length; i++) {
            px[i] |= 0xff000000;
        }
        return new RgbImage(w, h, px);
    }
}
