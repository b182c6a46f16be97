package org.ijdiffusion.plugin.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.preprocessors.mask.CropBox;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.WorkSize;
import org.junit.jupiter.api.Test;

/** The runner's geometry and messages, without a model. */
class InpaintPlanTest {
    /** The tests below were written for \"only masked\" (A1111's default is whole picture). */
    private static final InpaintSettings ONLY_MASKED = InpaintSettings.DEFAULTS.withArea(InpaintArea.ONLY_MASKED);


    @Test
    void emptyMaskSaysThereIsNothingToInpaint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InpaintPlan.of(64, 48, new Mask(64, 48, new byte[64 * 48]), ONLY_MASKED));
        assertTrue(e.getMessage().contains("nothing to inpaint"), e.getMessage());
    }

    @Test
    void maskOfAnotherSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InpaintPlan.of(64, 48, Mask.rectangle(32, 32, 0, 0, 8, 8), ONLY_MASKED));
        assertEquals("the mask is 32x32 but the image is 64x48: use a mask of the image's size", e.getMessage());
    }

    @Test
    void allWhiteMaskRepaintsTheWholeImage() {
        InpaintPlan p = InpaintPlan.of(713, 541, Mask.rectangle(713, 541, 0, 0, 713, 541), ONLY_MASKED);
        assertEquals(new CropBox(0, 0, 713, 541), p.box());
        assertEquals(new WorkSize(672, 512), p.work());
        FloatImage m = p.engineMask();
        assertEquals(672, m.width());
        for (float v : m.data()) {
            assertEquals(1f, v);
        }
        InpaintPlan whole = InpaintPlan.of(713, 541, Mask.rectangle(713, 541, 0, 0, 713, 541),
                InpaintSettings.DEFAULTS.withArea(InpaintArea.WHOLE_PICTURE));
        // short side 541 > working size 512: scaled down to 512 on the short side, multiples of 8
        assertEquals(new WorkSize(672, 512), whole.work());
        InpaintPlan small = InpaintPlan.of(203, 149, Mask.rectangle(203, 149, 0, 0, 20, 20),
                InpaintSettings.DEFAULTS.withArea(InpaintArea.WHOLE_PICTURE));
        assertEquals(new WorkSize(200, 152), small.work(), "smaller than the working size: its own size, rounded to 8");
    }

    @Test
    void maskTouchingTheBorderGivesABoxInsideTheImage() {
        Mask m = Mask.rectangle(300, 200, 280, 0, 20, 30); // top-right corner
        InpaintPlan p = InpaintPlan.of(300, 200, m, ONLY_MASKED);
        CropBox b = p.box();
        assertTrue(b.x() >= 0 && b.y() == 0 && b.x() + b.width() == 300 && b.height() <= 200, b.toString());
        assertEquals(0, b.width() % 8);
        assertEquals(0, b.height() % 8);
        // everything the paste mask touches is inside the box
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                if (p.pasteMask().at(x, y) != 0) {
                    assertTrue(x >= b.x() && y < b.y() + b.height(), x + "," + y);
                }
            }
        }
        assertEquals(512, Math.min(p.work().width(), p.work().height()));
    }

    @Test
    void infotextKeysAreA1111s() {
        InpaintPlan p = InpaintPlan.of(64, 64, Mask.rectangle(64, 64, 10, 10, 8, 8), ONLY_MASKED);
        assertEquals("Mask blur: 4, Inpaint area: Only masked, Masked area padding: 32, Masked content: original",
                p.infotextKeys());
        InpaintSettings s = InpaintSettings.DEFAULTS.withArea(InpaintArea.WHOLE_PICTURE).withMaskGrow(3)
                .withContent(MaskedContent.LATENT_NOISE).withSoftMask(true).withMaskBlur(0);
        assertEquals("Mask blur: 0, Mask grow: 3, Inpaint area: Whole picture, Masked content: latent noise, "
                + "Soft inpainting enabled: True", InpaintPlan.of(64, 64, Mask.rectangle(64, 64, 10, 10, 8, 8), s)
                .infotextKeys());
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ONLY_MASKED.withMaskBlur(-1));
        assertThrows(IllegalArgumentException.class, () -> ONLY_MASKED.withWorkingSize(500));
        assertThrows(IllegalArgumentException.class, () -> ONLY_MASKED.withPadding(1000));
        assertEquals(InpaintArea.ONLY_MASKED, InpaintArea.fromName("Only masked"));
        assertEquals(InpaintArea.WHOLE_PICTURE, InpaintArea.fromName("whole"));
        assertThrows(IllegalArgumentException.class, () -> InpaintArea.fromName("box"));
    }
}
