package org.ijdiffusion.plugin.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.ijdiffusion.controlnet.ControlMode;
import org.ijdiffusion.controlnet.ControlNet;
import org.ijdiffusion.controlnet.ResizeMode;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.PasteBack;
import org.junit.jupiter.api.Test;

/** End to end with the tiny checkpoints: only the pixels inside the grown+blurred mask change. */
class InpaintRunnerTest {
    /** The tests below were written for \"only masked\" (A1111's default is whole picture). */
    private static final InpaintSettings ONLY_MASKED = InpaintSettings.DEFAULTS.withArea(InpaintArea.ONLY_MASKED);


    static Path testdata(String rel) {
        String p = System.getProperty("testdata.dir");
        return (p != null ? Paths.get(p) : Paths.get("..", "testdata")).resolve(rel);
    }

    private static GenerationRequest.Builder request() {
        return GenerationRequest.builder().prompt("a photo of a cat").steps(4).sampler(SamplerKind.DDIM).cfg(7.5)
                .seed(7).strength(0.9);
    }

    @Test
    void onlyMaskedOnALargePhotoChangesOnlyTheMaskedArea() throws Exception {
        RgbImage photo = PasteBack.resize(ImageFiles.read(testdata("images/room.png")), 1000, 750);
        int[] before = photo.argb().clone();
        Mask mask = Mask.rectangle(1000, 750, 610, 300, 50, 36);
        InpaintSettings s = ONLY_MASKED.withMaskGrow(2).withWorkingSize(128);
        try (SdModel model = SdModel.load(testdata("models/tiny-sd15.safetensors"), null);
                NDManager m = model.manager().newSubManager();
                ControlNetCheckpoint ckpt = ControlNetCheckpoint.open(testdata("models/tiny-controlnet.safetensors"))) {
            ControlNet net = ControlNet.load(ckpt, m);
            // a control map at half the photo's resolution: cut with the box scaled to it
            RgbImage map = PasteBack.resize(photo, 500, 375);
            ControlInput unit = new ControlInput(net, map, 0.8, 0, 1, ControlMode.BALANCED, ResizeMode.CROP_AND_RESIZE,
                    "tiny-controlnet", "none");
            InpaintResult r = InpaintRunner.run(model, request().batch(2), photo, mask, s, List.of(unit), null);
            assertArrayEquals(before, photo.argb(), "the source image was modified");
            assertEquals(2, r.images().size());
            System.out.println("inpaint 1000x750: box " + r.box() + ", work " + r.work() + "\n" + r.infotext());
            assertTrue(r.box().width() < 300 && r.box().height() < 300, r.box().toString());
            assertEquals(128, Math.min(r.work().width(), r.work().height()));
            for (RgbImage out : r.images()) {
                assertEquals(1000, out.width());
                assertEquals(750, out.height());
                int changed = 0;
                int outsideKept = 0;
                for (int i = 0; i < before.length; i++) {
                    if (r.pasteMask().values()[i] == 0) {
                        assertEquals(before[i], out.argb()[i], "pixel " + i % 1000 + "," + i / 1000 + " outside the mask");
                        outsideKept++;
                    } else if (out.argb()[i] != before[i]) {
                        changed++;
                    }
                }
                System.out.println("  " + changed + " pixels changed, " + outsideKept + " kept bit-identical");
                assertTrue(changed > 1000, "changed " + changed);
            }
            assertTrue(r.infotext().endsWith("Mask blur: 4, Mask grow: 2, Inpaint area: Only masked, "
                    + "Masked area padding: 32, Masked content: original"), r.infotext());
            assertTrue(r.infotext().contains("ControlNet 0: \"Module: none, Model: tiny-controlnet"), r.infotext());
        }
    }

    /** Whole picture on an odd size with the 9-channel model: generated at 200x152, returned at 203x149. */
    @Test
    void wholePictureOnAnOddSizeWithTheInpaintingModel() throws Exception {
        RgbImage photo = PasteBack.resize(ImageFiles.read(testdata("images/bird.png")), 203, 149);
        Mask mask = Mask.rectangle(203, 149, 0, 100, 60, 49); // touches the left and bottom borders
        InpaintSettings s = InpaintSettings.DEFAULTS.withArea(InpaintArea.WHOLE_PICTURE)
                .withContent(MaskedContent.FILL);
        try (SdModel model = SdModel.load(testdata("models/tiny-sd15-inpaint.safetensors"), null)) {
            InpaintResult r = InpaintRunner.run(model, request().strength(1.0), photo, mask, s, List.of(), null);
            RgbImage out = r.images().get(0);
            assertEquals(203, out.width());
            assertEquals(149, out.height());
            assertEquals(200, r.work().width());
            assertEquals(152, r.work().height());
            assertTrue(r.infotext().contains("Size: 200x152"), r.infotext());
            int changed = 0;
            for (int i = 0; i < out.argb().length; i++) {
                if (r.pasteMask().values()[i] == 0) {
                    assertEquals(photo.argb()[i], out.argb()[i]);
                } else if (out.argb()[i] != photo.argb()[i]) {
                    changed++;
                }
            }
            assertTrue(changed > 2000, "changed " + changed);
        }
    }
}
