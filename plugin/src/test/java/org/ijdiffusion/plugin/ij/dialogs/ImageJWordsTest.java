package org.ijdiffusion.plugin.ij.dialogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.ijdiffusion.diffusion.model.ModelKind;
import org.ijdiffusion.plugin.ij.core.ImageJWords;
import org.junit.jupiter.api.Test;

/** Engine / CLI messages as ImageJ users read them: dialog keys and menu paths, no options, no class names. */
class ImageJWordsTest {
    @Test
    void cliOptionsBecomeDialogFieldsAndSettingsPlaces() {
        assertEquals("x.safetensors is a ControlNet (hint channels 3), not a checkpoint: choose it as control_model, "
                + "with an SD1.x checkpoint as model.", ImageJWords.translate("x.safetensors is a ControlNet (hint "
                + "channels 3), not a checkpoint: give it as --control, with an SD1.x model as --model."));
        assertEquals("no LoRA 'a' in the LoRA files (the lora folder of Plugins > Diffusion > Diffusion Settings).",
                ImageJWords.translate("no LoRA 'a' in the LoRA files (--lora-dir DIR)."));
        assertEquals("the picture has NaN (an extreme cfg_scale?).", ImageJWords.translate("the picture has NaN (an extreme --cfg?)."));
        String unsupported = ImageJWords.translate(ModelKind.SDXL.notSupportedMessage());
        assertFalse(unsupported.contains("--"), unsupported);
    }

    @Test
    void javaClassNamesAndWrongMenuPathsGo() {
        assertEquals("could not read /a/b.png", ImageJWords.translate("java.io.UncheckedIOException: could not read /a/b.png"));
        assertEquals("broken header", ImageJWords.translate("ModelFileException: broken header"));
        assertEquals("set it in Plugins > Diffusion > Diffusion Settings.",
                ImageJWords.translate("set it in Plugins > Diffusion > Settings."));
    }
}
