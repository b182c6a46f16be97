package org.ijdiffusion.plugin.ij;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import org.ijdiffusion.preprocessors.mask.Mask;

/**
 * Inpaint masks from what the user has in ImageJ: an area selection (rectangle, oval, polygon,
 * freehand, traced/wand, composite; 255 inside, 0 outside), or a soft mask taken from an open 8-bit
 * image of the same size (its pixel values, 255 = fully repainted).
 */
public final class SelectionMask {
    private SelectionMask() {
    }

    /** The area of {@code roi} on a {@code width x height} canvas as an 8-bit mask (255 inside). */
    public static ByteProcessor fromRoi(Roi roi, int width, int height) {
        if (roi == null) {
            throw new IllegalArgumentException("This command needs an area selection (rectangle, oval, polygon, "
                    + "freehand, wand or composite) around the part to repaint.");
        }
        if (!roi.isArea()) {
            throw new IllegalArgumentException("The selection is a " + roi.getTypeAsString().toLowerCase()
                    + " selection, which has no area: draw an area selection (rectangle, oval, polygon, freehand, wand).");
        }
        ByteProcessor bp = new ByteProcessor(width, height);
        bp.setColor(255);
        bp.fill(roi);
        if (isEmpty(bp)) {
            throw new IllegalArgumentException("The selection lies outside the image: select a part of the image.");
        }
        return bp;
    }

    /** The current selection of {@code imp} as a mask of the image size. */
    public static ByteProcessor fromImage(ImagePlus imp) {
        return fromRoi(imp.getRoi(), imp.getWidth(), imp.getHeight());
    }

    /** A soft mask from an 8-bit image ({@code maskImage}, current slice) the size of {@code target}. */
    public static ByteProcessor fromMaskImage(ImagePlus maskImage, int width, int height) {
        if (maskImage.getType() != ImagePlus.GRAY8) {
            throw new IllegalArgumentException("The mask image '" + maskImage.getTitle() + "' must be 8-bit "
                    + "(0 = keep, 255 = repaint); convert it with Image > Type > 8-bit.");
        }
        if (maskImage.getWidth() != width || maskImage.getHeight() != height) {
            throw new IllegalArgumentException("The mask image '" + maskImage.getTitle() + "' is "
                    + maskImage.getWidth() + "x" + maskImage.getHeight() + " but the image is " + width + "x" + height
                    + ": they must be the same size.");
        }
        ImageProcessor ip = maskImage.getProcessor();
        ByteProcessor bp = (ByteProcessor) ip.duplicate();
        if (ip.isInvertedLut()) {
            bp.invert(); // what the user sees as white is the repainted part
        }
        bp.resetRoi();
        if (isEmpty(bp)) {
            throw new IllegalArgumentException("The mask image '" + maskImage.getTitle() + "' is all black: nothing to repaint.");
        }
        return bp;
    }

    /** The choice for "the image's own selection" in a mask_source field. */
    public static final String SELECTION = "Selection";

    /**
     * The items of a {@code mask_source} field for {@code target}: the selection first, then every
     * open 8-bit image of the same size (soft masks).
     */
    public static java.util.List<String> sources(ImagePlus target, java.util.List<ImagePlus> open) {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(SELECTION));
        for (ImagePlus imp : open) {
            if (imp != target && imp.getType() == ImagePlus.GRAY8 && imp.getWidth() == target.getWidth()
                    && imp.getHeight() == target.getHeight()) {
                out.add(imp.getTitle());
            }
        }
        return out;
    }

    /** The mask {@code source} names for {@code target}: its selection, or the open image of that title. */
    public static ByteProcessor fromSource(ImagePlus target, String source,
            java.util.function.Function<String, ImagePlus> byTitle) {
        if (SELECTION.equals(source)) {
            return fromImage(target);
        }
        ImagePlus mask = byTitle.apply(source);
        if (mask == null) {
            throw new IllegalArgumentException("mask_source: no open image is titled '" + source + "'; use "
                    + SELECTION + " or an open 8-bit mask image.");
        }
        return fromMaskImage(mask, target.getWidth(), target.getHeight());
    }

    /** The engine's mask from an 8-bit mask processor. */
    public static Mask mask(ByteProcessor bp) {
        return new Mask(bp.getWidth(), bp.getHeight(), ((byte[]) bp.getPixels()).clone());
    }

    private static boolean isEmpty(ByteProcessor bp) {
        for (byte b : (byte[]) bp.getPixels()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
