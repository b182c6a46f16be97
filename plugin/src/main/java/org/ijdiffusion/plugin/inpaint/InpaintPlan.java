package org.ijdiffusion.plugin.inpaint;

import org.ijdiffusion.controlnet.HintImage;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.ColorMatch;
import org.ijdiffusion.preprocessors.mask.CropBox;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.MaskFill;
import org.ijdiffusion.preprocessors.mask.MaskOps;
import org.ijdiffusion.preprocessors.mask.PasteBack;
import org.ijdiffusion.preprocessors.mask.WorkSize;

/**
 * The image-space geometry of one inpainting job, without a model: the grown+blurred mask (paste
 * mask), the box of the source that is generated and the size it is generated at; and the
 * conversions in and out of that box (init image, engine mask, control maps, paste-back).
 *
 * <p>Only masked: the box is the mask's bounds padded by {@code padding}, enlarged to the working
 * aspect and to multiples of 8, clamped to the image (A1111's rule); it is generated with its short
 * side at {@code workingSize}. Whole picture: the box is the image, generated at its size rounded
 * to multiples of 8 (scaled down to {@code workingSize} on the short side when larger). The result is scaled back to the box (optionally colour-matched) and blended with the paste mask, so every
 * source pixel where that mask is 0 comes back bit-identical.
 */
public record InpaintPlan(Mask pasteMask, CropBox box, WorkSize work, InpaintSettings settings) {
    /** Mask levels at or above this are repainted by the model (the noise contract's 0.5). */
    static final int REPAINT_LEVEL = 128;

    /** IllegalArgumentException with a user-facing message for a mask that does not fit or is empty. */
    public static InpaintPlan of(int imageWidth, int imageHeight, Mask mask, InpaintSettings s) {
        return of(imageWidth, imageHeight, mask, s, null);
    }

    /**
     * As {@link #of(int, int, Mask, InpaintSettings)} with the generation size given ({@code size}, multiples
     * of 8), as A1111's width/height: whole picture is generated at that size; only masked enlarges the box
     * to that aspect and generates it at that size. {@code null}: the size follows from the settings.
     */
    public static InpaintPlan of(int imageWidth, int imageHeight, Mask mask, InpaintSettings s, WorkSize size) {
        if (mask.width() != imageWidth || mask.height() != imageHeight) {
            throw new IllegalArgumentException("the mask is " + mask.width() + "x" + mask.height() + " but the image is "
                    + imageWidth + "x" + imageHeight + ": use a mask of the image's size");
        }
        if (mask.isEmpty()) {
            throw new IllegalArgumentException("the mask is all black: nothing to inpaint (paint the area to repaint "
                    + "white, the rest black)");
        }
        Mask paste = MaskOps.growAndBlur(mask, s.maskGrow(), s.maskBlur());
        if (s.area() == InpaintArea.WHOLE_PICTURE) {
            return new InpaintPlan(paste, CropBox.whole(imageWidth, imageHeight),
                    size != null ? size : wholePictureSize(imageWidth, imageHeight, s.workingSize()), s);
        }
        if (size != null) {
            return new InpaintPlan(paste, CropBox.onlyMasked(paste, s.padding(), size.width(), size.height()), size, s);
        }
        CropBox padded = CropBox.around(paste, s.padding());
        WorkSize aspect = WorkSize.forBox(padded.width(), padded.height(), s.workingSize());
        CropBox box = CropBox.onlyMasked(paste, s.padding(), aspect.width(), aspect.height());
        return new InpaintPlan(paste, box, WorkSize.forBox(box.width(), box.height(), s.workingSize()), s);
    }

    /**
     * Whole picture: the image's own size rounded to multiples of 8, or, when its short side is larger
     * than the working size, scaled down to that short side (so a large photo costs what a 512 image
     * does; the paste-back keeps every pixel outside the mask at full resolution).
     */
    static WorkSize wholePictureSize(int width, int height, int workingSize) {
        return Math.min(width, height) > workingSize ? WorkSize.forBox(width, height, workingSize)
                : WorkSize.nearest(width, height);
    }

    /** The init image for the engine: the box of {@code image} (pre-filled for "fill") at the working size. */
    public FloatImage engineInit(RgbImage image) {
        RgbImage src = image;
        if (settings.content() == MaskedContent.FILL) {
            src = MaskFill.fill(image, pasteMask, REPAINT_LEVEL);
        }
        return EngineImages.rgb(PasteBack.resize(PasteBack.crop(src, box), work.width(), work.height()));
    }

    /** The engine's mask: the paste mask's box at the working size, levels in [0,1]. */
    public FloatImage engineMask() {
        Mask m = MaskOps.resize(PasteBack.crop(pasteMask, box), work.width(), work.height());
        return FloatImage.fromGray(m.width(), m.height(), m.values());
    }

    /** A control map (covering the whole source) cut with the same box, fitted to the working size. */
    public FloatImage controlHint(ControlInput c, int imageWidth, int imageHeight) {
        CropBox mapBox = box.scaledTo(imageWidth, imageHeight, c.map().width(), c.map().height());
        FloatImage cut = EngineImages.rgb(PasteBack.crop(c.map(), mapBox));
        return HintImage.fit(cut, work.width(), work.height(), c.resize());
    }

    /** A new full-size image: {@code source} with {@code generated} (working size) pasted through the paste mask. */
    public RgbImage paste(RgbImage source, RgbImage generated) {
        return PasteBack.blend(source, fitted(source, generated), box, pasteMask);
    }

    /** The generated image (working size) scaled to the box and colour-matched when asked: what {@link #paste} blends. */
    public RgbImage fitted(RgbImage source, RgbImage generated) {
        RgbImage gen = PasteBack.resize(generated, box.width(), box.height());
        if (settings.colorMatch()) {
            gen = ColorMatch.toSource(source, gen, box, pasteMask);
        }
        return gen;
    }

    /** The A1111 infotext keys of these settings, comma-separated. */
    public String infotextKeys() {
        StringBuilder s = new StringBuilder();
        s.append("Mask blur: ").append(settings.maskBlur());
        if (settings.maskGrow() > 0) {
            s.append(", Mask grow: ").append(settings.maskGrow());
        }
        s.append(", Inpaint area: ").append(settings.area().label());
        if (settings.area() == InpaintArea.ONLY_MASKED) {
            s.append(", Masked area padding: ").append(settings.padding());
        }
        s.append(", Masked content: ").append(settings.content().label());
        if (settings.softMask()) {
            s.append(", Soft inpainting enabled: True");
        }
        if (settings.colorMatch()) {
            s.append(", Color match: True");
        }
        return s.toString();
    }
}
