package org.ijdiffusion.plugin.inpaint;

import java.util.List;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.CropBox;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.WorkSize;

/**
 * The outcome of an inpainting run.
 *
 * @param images    one full-size image per batch item: the source with the generated area pasted in
 * @param seed      the seed used
 * @param infotext  A1111 "parameters" text, with the inpainting keys
 * @param box       the area of the source that was generated (the whole image for "whole picture")
 * @param work      the size it was generated at
 * @param pasteMask the grown and blurred mask the result was pasted with: source pixels where it is
 *                  0 are returned unchanged
 * @param fitted    per batch item the generated area at the box's size (colour-matched when asked),
 *                  before blending: for pasting into the source in its own kind (see {@code StoredImage#paste})
 */
public record InpaintResult(List<RgbImage> images, long seed, String infotext,
        CropBox box, WorkSize work, Mask pasteMask, List<RgbImage> fitted) {
}
