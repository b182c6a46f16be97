package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.junit.jupiter.api.Test;

/** Diffusion Settings' {@code precision} key: bf16 generation from a macro, and the message for a bad value. */
class MacroPrecisionTest {
    private static String settings(String precision) {
        return MacroCommandsTest.settings(MacroCommandsTest.MODELS, "", "tiny-sd15.safetensors")
                .replace("threads=0\");", "threads=0 precision=" + precision + "\");");
    }

    @Test
    void textToImageRunsInBf16AndABadPrecisionIsNamed() throws Exception {
        try {
            String bad = HeadlessImageJ.run("setBatchMode(true);\n" + settings("fp16") + "print(\"NOT STOPPED\");\n");
            assertTrue(bad.contains("precision: 'fp16' is not a valid choice") && bad.contains("Macro Error"), bad);
            assumeTrue(CpuFeatures.current().hasNativeBf16(), "skipped: this CPU has no native bfloat16");
            String out = HeadlessImageJ.run("setBatchMode(true);\n" + settings("bf16")
                    + "run(\"Text to Image\", \"prompt=[a photo of a cat] width=64 height=48 steps=2 cfg_scale=7 "
                    + "sampler=[Euler] seed=3\");\n"
                    + "print(\"made=\" + getTitle() + \" \" + getWidth() + \"x\" + getHeight());\n");
            assertTrue(out.contains("made=a photo of a cat (seed 3) 64x48"), out);
        } finally {
            // the precision is kept in ImageJ's preferences: leave them as the other tests expect
            HeadlessImageJ.run("setBatchMode(true);\n" + settings("fp32"));
        }
    }
}
