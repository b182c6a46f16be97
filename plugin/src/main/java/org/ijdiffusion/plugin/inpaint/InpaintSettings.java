package org.ijdiffusion.plugin.inpaint;

import java.util.Objects;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;

/**
 * How a mask is turned into an inpainting job, in A1111's vocabulary. {@link #DEFAULTS} are A1111's
 * (mask blur 4, only-masked padding 32, masked content original) with the "only masked" area and a
 * 512 px working size (SD1.x's resolution, on the short side of the box).
 *
 * @param maskBlur    Gaussian mask blur, px (A1111 "Mask blur"), 0-64
 * @param maskGrow    the mask is first dilated by this many px, 0-256
 * @param area        whole picture or only masked
 * @param padding     only masked: context around the mask, px (A1111 "Masked area padding"), 0-256
 * @param content     what the masked area starts from (A1111 "Masked content")
 * @param workingSize the generated short side, px (a multiple of 8): only masked always; whole picture
 *                    when the image is larger
 * @param softMask    grey mask levels are per-pixel strengths (Differential Diffusion) instead of
 *                    being rounded at 0.5 for the model
 * @param colorMatch  shift the generated area's colours to the source's on the mask's soft border
 *                    before pasting (against colour casts; see {@code ColorMatch})
 */
public record InpaintSettings(int maskBlur, int maskGrow, InpaintArea area, int padding, MaskedContent content,
        int workingSize, boolean softMask, boolean colorMatch) {
    public static final InpaintSettings DEFAULTS =
            new InpaintSettings(4, 0, InpaintArea.WHOLE_PICTURE, 32, MaskedContent.ORIGINAL, 512, false, false);

    public InpaintSettings {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(content, "content");
        check("mask blur", maskBlur, 0, 64);
        check("mask grow", maskGrow, 0, 256);
        check("masked area padding", padding, 0, 256);
        check("working size", workingSize, 64, 4096);
        if (workingSize % 8 != 0) {
            throw new IllegalArgumentException("working size must be a multiple of 8 (got " + workingSize + ")");
        }
    }

    private static void check(String what, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " must be between " + lo + " and " + hi + " px (got " + v + ")");
        }
    }

    public InpaintSettings withMaskBlur(int px) {
        return new InpaintSettings(px, maskGrow, area, padding, content, workingSize, softMask, colorMatch);
    }

    public InpaintSettings withMaskGrow(int px) {
        return new InpaintSettings(maskBlur, px, area, padding, content, workingSize, softMask, colorMatch);
    }

    public InpaintSettings withArea(InpaintArea a) {
        return new InpaintSettings(maskBlur, maskGrow, a, padding, content, workingSize, softMask, colorMatch);
    }

    public InpaintSettings withPadding(int px) {
        return new InpaintSettings(maskBlur, maskGrow, area, px, content, workingSize, softMask, colorMatch);
    }

    public InpaintSettings withContent(MaskedContent c) {
        return new InpaintSettings(maskBlur, maskGrow, area, padding, c, workingSize, softMask, colorMatch);
    }

    public InpaintSettings withWorkingSize(int px) {
        return new InpaintSettings(maskBlur, maskGrow, area, padding, content, px, softMask, colorMatch);
    }

    public InpaintSettings withColorMatch(boolean match) {
        return new InpaintSettings(maskBlur, maskGrow, area, padding, content, workingSize, softMask, match);
    }

    public InpaintSettings withSoftMask(boolean soft) {
        return new InpaintSettings(maskBlur, maskGrow, area, padding, content, workingSize, soft, colorMatch);
    }
}
