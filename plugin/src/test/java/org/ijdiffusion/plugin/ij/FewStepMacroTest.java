package org.ijdiffusion.plugin.ij;

import static org.ijdiffusion.plugin.ij.MacroCommandsTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.ij.core.PngParameters;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Few-step sampling and the preview settings through real ImageJ macros (headless, as Fiji --headless):
 * the sampler names LCM / TCD and the schedule type "SGM Uniform" as macro keys, in the recorded line and
 * in the pictures' infotext; the recorded lines replay bit for bit; the Diffusion Settings keys
 * {@code taesd}, {@code preview_every} and {@code keep_preview} are set by a macro line and read back.
 */
class FewStepMacroTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void testModels() throws Exception {
        HeadlessImageJ.run("setBatchMode(true);\n" + MacroCommandsTest.settings(MacroCommandsTest.MODELS, "",
                "tiny-sd15.safetensors"));
    }

    @AfterEach
    void defaultPreview() throws Exception {
        HeadlessImageJ.run("setBatchMode(true);\n" + MacroCommandsTest.settings(MacroCommandsTest.MODELS, "",
                "tiny-sd15.safetensors").replace("threads=0", "threads=0 taesd=[] preview_every=1"));
    }

    /** Runs {@code options} through Text to Image, then the recorded line; prints macro, info and replay difference. */
    private static String makeAndReplay(String options) throws Exception {
        return HeadlessImageJ.run("setBatchMode(true);\n"
                + "run(\"Text to Image\", \"" + options + "\");\n"
                + "id1 = getImageID(); line = Property.get(\"macro\"); print(\"macro=\" + line);\n"
                + "print(\"info=\" + replace(getMetadata(\"Info\"), \"\\n\", \" | \"));\n"
                + "eval(line); id2 = getImageID(); w = getWidth(); h = getHeight();\n"
                + "d = 0; for (y = 0; y < h; y++) for (x = 0; x < w; x++) { selectImage(id1); a = getPixel(x, y); "
                + "selectImage(id2); b = getPixel(x, y); if (a != b) d++; }\n"
                + "print(\"replay_differing=\" + d + \" ids=\" + (id1 != id2));\n");
    }

    @Test
    void lcmIsAMacroKeyAndTheInfotextsSampler() throws Exception {
        String out = makeAndReplay("prompt=[a cat] width=64 height=48 steps=4 cfg_scale=1 sampler=LCM seed=9");
        String macro = value(out, "macro");
        assertTrue(macro.contains(" steps=4 cfg_scale=1 sampler=LCM seed=9 schedule_type=Automatic eta=-1 "), macro);
        String info = value(out, "info");
        assertTrue(info.contains("Steps: 4, Sampler: LCM, Schedule type: Uniform, CFG scale: 1, Seed: 9"), info);
        assertEquals("0 ids=1", value(out, "replay_differing"), "the recorded line makes the same image");
    }

    @Test
    void sgmUniformIsAMacroKeyAndTheInfotextsScheduleType() throws Exception {
        String out = makeAndReplay("prompt=[a cat] width=64 height=48 steps=4 cfg_scale=3.5 sampler=Euler "
                + "schedule_type=[SGM Uniform] seed=9");
        String macro = value(out, "macro");
        assertTrue(macro.contains(" sampler=Euler seed=9 schedule_type=[SGM Uniform] eta=-1 "), macro);
        String info = value(out, "info");
        assertTrue(info.contains("Sampler: Euler, Schedule type: SGM Uniform, CFG scale: 3.5, Seed: 9"), info);
        assertEquals("0 ids=1", value(out, "replay_differing"));
    }

    @Test
    void tcdsEtaIsRecordedWrittenAndTakenBackFromThePng() throws Exception {
        Path png = tmp.resolve("tcd.png");
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "run(\"Text to Image\", \"prompt=[a cat] width=64 height=48 steps=4 cfg_scale=1 sampler=TCD eta=0.7 seed=4\");\n"
                + "id1 = getImageID(); print(\"macro=\" + Property.get(\"macro\"));\n"
                + "print(\"info=\" + replace(getMetadata(\"Info\"), \"\\n\", \" | \"));\n"
                + "run(\"Save PNG with parameters\", \"path=[" + png + "]\");\n"
                + "run(\"Text to Image from PNG\", \"png=[" + png + "]\"); id2 = getImageID();\n"
                + "print(\"png_macro=\" + Property.get(\"macro\"));\n"
                + "d = 0; for (y = 0; y < 48; y++) for (x = 0; x < 64; x++) { selectImage(id1); a = getPixel(x, y); "
                + "selectImage(id2); b = getPixel(x, y); if (a != b) d++; }\n"
                + "print(\"png_differing=\" + d);\n");
        assertTrue(value(out, "macro").contains(" sampler=TCD seed=4 schedule_type=Automatic eta=0.7 "), out);
        String info = value(out, "info");
        assertTrue(info.contains("Sampler: TCD, Schedule type: Uniform, CFG scale: 1, Seed: 4") && info.contains("Eta: 0.7"),
                info);
        assertTrue(PngFiles.readParameters(png).contains("Eta: 0.7"));
        assertTrue(value(out, "png_macro").contains(" sampler=TCD seed=4 schedule_type=Automatic eta=0.7 "), out);
        assertEquals("0", value(out, "png_differing"), "the PNG's parameters (its Eta too) make the same image");
        assertFalse(out.contains("not taken"), "nothing of the PNG left out:\n" + out);
    }

    @Test
    void pngPresetTakesDdimsEtaAndTheTrailingSchedule() {
        ParamForm f = new ParamForm();
        GenerateForm.model(f, List.of("tiny-sd15.safetensors"), "tiny-sd15.safetensors");
        GenerateForm.sampling(f, false);
        List<String> notes = PngParameters.preset(f, InfotextReader.parse("x\nSteps: 4, Sampler: DDIM, Schedule type: "
                + "SGM Uniform, CFG scale: 2, Seed: 1, Size: 64x64, Eta DDIM: 0.25, RNG: CPU"));
        assertEquals("DDIM", f.string("sampler"));
        assertEquals("SGM Uniform", f.string("schedule_type"));
        assertEquals(0.25, f.number("eta"), 0.0);
        assertEquals(List.of(), notes);
        ParamForm g = new ParamForm();
        GenerateForm.model(g, List.of("tiny-sd15.safetensors"), "tiny-sd15.safetensors");
        GenerateForm.sampling(g, false);
        // A1111's "Eta" of an ancestral sampler is its noise multiplier: not an eta this engine has
        List<String> n2 = PngParameters.preset(g, InfotextReader.parse("x\nSteps: 4, Sampler: Euler a, Schedule type: "
                + "Automatic, CFG scale: 2, Seed: 1, Size: 64x64, Eta: 0.5, RNG: CPU"));
        assertEquals(-1, g.number("eta"), 0.0);
        assertTrue(n2.size() == 1 && n2.get(0).contains("Eta: 0.5"), n2.toString());
    }

    @Test
    void refusedCombinationsAreMacroErrorsNamingThem() throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\nrun(\"Text to Image\", \"prompt=x width=64 height=64 "
                + "steps=4 sampler=LCM schedule_type=[SGM Uniform]\");\nprint(\"NOT STOPPED\");\n");
        assertTrue(out.contains("Macro Error") && out.contains("LCM") && out.contains("SGM Uniform"), out);
        assertFalse(out.contains("NOT STOPPED") || out.contains("\tat "), out);
        out = HeadlessImageJ.run("setBatchMode(true);\nrun(\"Text to Image\", \"prompt=x schedule_type=Karras\");\n");
        assertTrue(out.contains("schedule_type: 'Karras' is not a valid choice; valid: Automatic, SGM Uniform"), out);
    }

    @Test
    void previewSettingsAreMacroKeysThatReplay() throws Exception {
        Path taesd = MacroCommandsTest.TESTDATA.resolve("taesd");
        String line = MacroCommandsTest.settings(MacroCommandsTest.MODELS, "", "tiny-sd15.safetensors")
                .replace("threads=0", "threads=0 taesd=[" + taesd + "] preview_every=3 keep_preview");
        String out = HeadlessImageJ.run("setBatchMode(true);\n" + line
                + "print(\"every=\" + call(\"ij.Prefs.get\", \"ijdiffusion.preview_every\", \"?\"));\n"
                + "print(\"keep=\" + call(\"ij.Prefs.get\", \"ijdiffusion.keep_preview\", \"?\"));\n"
                + "print(\"taesd=\" + call(\"ij.Prefs.get\", \"ijdiffusion.taesd\", \"?\"));\n"
                // a generation with TAESD set (headless: no preview window, the run is the same)
                + "run(\"Text to Image\", \"prompt=x width=64 height=64 steps=3 seed=1\");\n"
                + "print(\"made=\" + getWidth());\n");
        assertEquals("3", value(out, "every"));
        assertEquals("true", value(out, "keep"));
        assertEquals(taesd.toString(), value(out, "taesd"));
        assertEquals("64", value(out, "made"));
        // off again by a line without the checkbox; a missing folder is refused by name
        out = HeadlessImageJ.run("setBatchMode(true);\n" + line.replace(" keep_preview", "").replace("preview_every=3",
                "preview_every=0") + "print(\"every=\" + call(\"ij.Prefs.get\", \"ijdiffusion.preview_every\", \"?\") "
                + "+ \" keep=\" + call(\"ij.Prefs.get\", \"ijdiffusion.keep_preview\", \"?\"));\n");
        assertEquals("0 keep=false", value(out, "every"));
        out = HeadlessImageJ.run("setBatchMode(true);\n" + line.replace(taesd.toString(), tmp.resolve("none").toString()));
        assertTrue(out.contains("taesd: the folder " + tmp.resolve("none") + " does not exist"), out);
        out = HeadlessImageJ.run("setBatchMode(true);\n" + line.replace("preview_every=3", "preview_every=-2"));
        assertTrue(out.contains("preview_every"), out);
    }
}
