package org.ijdiffusion.plugin.ij;

import static org.ijdiffusion.plugin.ij.HeadlessImageJ.q;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.MODELS;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.settings;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's macro-side dialog promises, headless: the recorded Save PNG line replays, model= takes an absolute
 * path when the model folders point elsewhere, and Inpaint Selection on a stack refuses slices= other than current.
 */
class DialogMacrosTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restoreSettings() throws Exception {
        HeadlessImageJ.run(settings(MODELS, "", "tiny-sd15.safetensors"));
    }

    @Test
    void recordedSavePngLineReplays() throws Exception {
        HeadlessImageJ.run(settings(MODELS, "", "tiny-sd15.safetensors"));
        Path png = tmp.resolve("saved with parameters.png");
        String line = SavePng.recordedLine(png.toString()); // what a dialog save records
        assertTrue(line.startsWith("run(\"Save PNG with parameters\", \"path=["), line);
        String out = HeadlessImageJ.run("run(\"Text to Image\", \"prompt=[a red cube] width=64 height=64 steps=2 seed=5\");\n"
                + line + "print(\"done=1\");\n");
        assertEquals("1", value(out, "done"), out);
        assertTrue(Files.isRegularFile(png), out);
        String params = PngFiles.readParameters(png);
        assertTrue(params != null && params.startsWith("a red cube\nSteps: 2,") && params.contains("Seed: 5"), params);
    }

    @Test
    void absoluteModelPathWorksWhenFoldersPointElsewhere() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("other-checkpoints"));
        HeadlessImageJ.run(settings(elsewhere.toString(), "", ""));
        Path model = Path.of(MODELS, "tiny-sd15.safetensors");
        String out = HeadlessImageJ.run("run(\"Text to Image\", \"model=" + "[" + model + "]"
                + " prompt=x width=64 height=64 steps=2 seed=3\");\n"
                + "print(\"size=\" + getWidth() + \"x\" + getHeight());\n"
                + "print(\"macro=\" + Property.get(\"macro\"));\n");
        assertEquals("64x64", value(out, "size"), out);
        assertTrue(value(out, "macro").contains("model=" + model + " ") || value(out, "macro").contains("model=[" + model + "]"),
                out);
        String bad = HeadlessImageJ.run("run(\"Text to Image\", \"model=tiny-sd15.safetensors prompt=x width=64 "
                + "height=64 steps=2\");\nprint(\"NOT STOPPED\");\n");
        assertFalse(bad.contains("NOT STOPPED"), "a bare name is not found in the other folder: " + bad);
    }

    @Test
    void inpaintOnAStackRefusesOtherSlices() throws Exception {
        HeadlessImageJ.run(settings(MODELS, "", "tiny-sd15.safetensors"));
        for (String slices : new String[] {"[all (seed+i)]", "[all (same seed)]"}) {
            String out = HeadlessImageJ.run("newImage(\"s\", \"RGB ramp\", 64, 64, 3); setSlice(2);\n"
                    + "makeRectangle(16, 16, 24, 24);\n"
                    + "run(\"Inpaint Selection\", \"prompt=x steps=2 slices=" + slices + "\");\nprint(\"NOT STOPPED\");\n");
            assertTrue(out.contains("repaints the current slice only (slices=current)"), out);
            assertFalse(out.contains("NOT STOPPED"), out);
        }
    }
}
