package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.ij.core.PngParameters;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An A1111 PNG's parameters into the Text to Image dialog (PNG Info > Send to txt2img). */
class TextToImageFromPngTest {
    static final String TEXT = "a castle, (tower:1.2)\nNegative prompt: fog\nSteps: 3, Sampler: DPM++ 2M, "
            + "Schedule type: Karras, CFG scale: 5.5, Seed: 11, Size: 64x48, Clip skip: 2, RNG: CPU, Hires upscale: 2";

    @TempDir
    Path tmp;

    @BeforeEach
    void testModels() throws Exception {
        HeadlessImageJ.run("setBatchMode(true);\n" + MacroCommandsTest.settings(MacroCommandsTest.MODELS, "",
                "tiny-sd15.safetensors"));
    }

    @Test
    void presetsTheDialogFields() {
        ParamForm f = new ParamForm();
        GenerateForm.model(f, List.of("tiny-sd15.safetensors"), "tiny-sd15.safetensors");
        GenerateForm.sampling(f, false);
        List<String> notes = PngParameters.preset(f, InfotextReader.parse(TEXT));
        assertEquals("a castle, (tower:1.2)", f.string("prompt"));
        assertEquals("fog", f.string("negative_prompt"));
        assertEquals("3", f.string("steps"));
        assertEquals("DPM++ 2M Karras", f.string("sampler"));
        assertEquals("11", f.string("seed"));
        assertEquals("64", f.string("width"));
        assertEquals("48", f.string("height"));
        assertEquals("2", f.string("clip_skip"));
        assertEquals(5.5, f.number("cfg_scale"), 0.0);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("Hires upscale: 2"), notes.toString());
    }

    /** A TAESD draft's PNG (engine key Decoder: TAESD) presets the fields and says the VAE decodes here. */
    @Test
    void aTaesdDraftIsNamedInTheNotes() {
        ParamForm f = new ParamForm();
        GenerateForm.model(f, List.of("tiny-sd15.safetensors"), "tiny-sd15.safetensors");
        GenerateForm.sampling(f, false);
        List<String> notes = PngParameters.preset(f, InfotextReader.parse(
                "a fox\nSteps: 4, Sampler: LCM, Schedule type: Uniform, CFG scale: 1, Seed: 3, Size: 64x64, RNG: CPU, "
                        + "Decoder: TAESD"));
        assertEquals("LCM", f.string("sampler"));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("Decoder: TAESD (the PNG's final image was a quick TAESD draft; this command"
                + " decodes with the VAE"), notes.toString());
    }

    @Test
    void macroFromPngMakesTheImageItsParametersSay() throws Exception {
        Path png = tmp.resolve("a1111.png");
        PngFiles.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), TEXT, png);
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "run(\"Text to Image from PNG\", \"png=[" + png + "] steps=2\");\n"
                + "print(\"size=\" + getWidth() + \"x\" + getHeight());\n"
                + "info = getMetadata(\"Info\"); print(\"params=\" + replace(substring(info, 0, indexOf(info, \"Model hash\")), \"\\n\", \"|\"));\n"
                + "print(\"macro=\" + Property.get(\"macro\"));\n");
        assertEquals("64x48", MacroCommandsTest.value(out, "size"));
        assertEquals("a castle, (tower:1.2)|Negative prompt: fog|Steps: 2, Sampler: DPM++ 2M, Schedule type: Karras, "
                + "CFG scale: 5.5, Seed: 11, Size: 64x48, ", MacroCommandsTest.value(out, "params"));
        String macro = MacroCommandsTest.value(out, "macro");
        assertTrue(macro.startsWith("run(\"Text to Image from PNG\", ") && macro.contains(" png=" + png), macro);
    }
}
