package org.ijdiffusion.plugin.ij;

import static org.ijdiffusion.plugin.ij.MacroCommandsTest.MODELS;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.settings;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inpaint Selection through a real headless macro: only the selection changes, the source stays. */
class InpaintSelectionMacroTest {
    @BeforeEach
    void testModels() throws Exception {
        HeadlessImageJ.run("setBatchMode(true);\n" + settings(MODELS, "", "tiny-sd15.safetensors"));
    }

    @Test
    void repaintsTheSelectionOnlyAndRecordsTheMacroLine() throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "newImage(\"src\", \"RGB ramp\", 101, 67, 1); src = getImageID();\n"
                + "makeOval(30, 20, 24, 16);\n"
                + "run(\"Inpaint Selection\", \"prompt=[a red ball] steps=3 seed=7 denoising_strength=1 "
                + "mask_blur=2 inpaint_area=[Only masked] padding=8 working_size=64\");\n"
                + "dst = getImageID(); print(\"size=\" + getWidth() + \"x\" + getHeight());\n"
                + "print(\"macro=\" + Property.get(\"macro\"));\n"
                + "print(\"info=\" + replace(getMetadata(\"Info\"), \"\\n\", \" | \"));\n"
                + "outside = 0; inside = 0;\n"
                + "for (y = 0; y < 67; y++) for (x = 0; x < 101; x++) {\n"
                + "  selectImage(src); a = getPixel(x, y); selectImage(dst); b = getPixel(x, y);\n"
                + "  far = (x < 24 || x > 60 || y < 14 || y > 42);\n"
                + "  if (far && a != b) outside++; if (!far && a != b) inside++; }\n"
                + "print(\"changed=\" + outside + \" \" + (inside > 0));\n"
                + "selectImage(src); print(\"source_selection=\" + (selectionType() == 1));\n");
        assertEquals("101x67", value(out, "size"), "the result has the source's size");
        assertEquals("0 1", value(out, "changed"), "pixels away from the grown, blurred selection are the source's");
        String macro = value(out, "macro");
        assertTrue(macro.startsWith("run(\"Inpaint Selection\", \"model=tiny-sd15.safetensors prompt=[a red ball] "), macro);
        assertTrue(macro.contains("mask_source=Selection mask_blur=2 mask_grow=0 inpaint_area=[Only masked] padding=8"),
                macro);
        String info = value(out, "info");
        assertTrue(info.contains("Mask blur: 2, Inpaint area: Only masked, Masked area padding: 8, Masked content: original"),
                info);
        assertEquals("1", value(out, "source_selection"), "the source keeps its selection");
    }

    @Test
    void withoutASelectionTheMacroStopsWithTheReason() throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\nnewImage(\"a\", \"RGB\", 64, 64, 1);\n"
                + "run(\"Inpaint Selection\", \"prompt=x steps=2\");\nprint(\"NOT STOPPED\");\n");
        assertTrue(out.contains("needs an area selection"), out);
        assertFalse(out.contains("NOT STOPPED"), out);
    }
}
