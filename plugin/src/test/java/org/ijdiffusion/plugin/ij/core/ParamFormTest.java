package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParamFormTest {
    private static ParamForm form() {
        ParamForm f = new ParamForm();
        GenerateForm.model(f, List.of("a.safetensors", "b.safetensors"), "b.safetensors");
        GenerateForm.sampling(f, false);
        return f;
    }

    @Test
    void readsA1111KeysFromMacroOptions() {
        ParamForm f = form();
        f.readMacro("model=a.safetensors prompt=[a photo of a cat] negative_prompt=[] steps=8 cfg_scale=7.5 "
                + "sampler=[euler A] seed=42 width=64 height=64");
        assertEquals("a.safetensors", f.string("model"));
        assertEquals("a photo of a cat", f.string("prompt"));
        assertEquals("", f.string("negative_prompt"));
        assertEquals(8, f.integer("steps"));
        assertEquals(7.5, f.number("cfg_scale"));
        assertEquals("Euler a", f.string("sampler"), "choices are matched ignoring case, stored as labelled");
        assertEquals(42, f.integer("seed"));
        assertEquals(1, f.integer("batch_size"), "missing keys keep their defaults");
    }

    @Test
    void badValuesNameTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> form().readMacro("sampler=[Foo]"));
        assertEquals("sampler: 'Foo' is not a valid choice; valid: DDIM, PLMS, Euler, Euler a, LMS, DPM++ 2M, "
                + "DPM++ 2M Karras, LCM, TCD", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> form().readMacro("steps=0"));
        assertEquals("steps must be between 1 and 1000 (got 0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> form().readMacro("cfg_scale=abc"));
        assertTrue(e.getMessage().startsWith("cfg_scale must be a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> form().readMacro("cfg=7"));
        assertTrue(e.getMessage().startsWith("unknown key 'cfg'; valid keys: model, prompt"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> form().readMacro("model=c.safetensors"));
        assertTrue(e.getMessage().contains("valid: a.safetensors, b.safetensors"), e.getMessage());
    }

    @Test
    void macroLineReplaysTheSameValues() {
        ParamForm f = form();
        f.readMacro("prompt=[a \"quoted\" cat] seed=7 cfg_scale=6.5");
        String options = f.macroOptions();
        assertEquals("model=b.safetensors prompt=[a \"quoted\" cat] negative_prompt=[] width=512 height=512 steps=20 "
                + "cfg_scale=6.5 sampler=[Euler a] seed=7 schedule_type=Automatic eta=-1 batch_size=1 clip_skip=1", options);
        ParamForm again = form();
        again.readMacro(options);
        assertEquals(options, again.macroOptions());
        assertEquals("run(\"Text to Image\", \"" + options.replace("\"", "\\\"") + "\");", f.macroLine("Text to Image"));
    }

    @Test
    void checkboxIsAFlag() {
        ParamForm f = new ParamForm().checkbox("all", false).text("x", "1");
        f.readMacro("all x=2");
        assertTrue(f.bool("all"));
        assertEquals("all x=2", f.macroOptions());
        f.readMacro("x=3");
        assertFalse(f.bool("all"));
    }

    @Test
    void parsesImageJOptionSyntax() {
        assertEquals(java.util.Map.of("a", "1", "b", "two words", "flag", "true", "c", ""),
                MacroOptions.parse("a=1 b=[two words] flag c=[] "));
    }

    @Test
    void seedsAndSizes() {
        assertEquals(5, Seeds.resolve(5));
        long r = Seeds.resolve(-1);
        assertTrue(r >= 0 && r <= Seeds.MAX);
        assertThrows(IllegalArgumentException.class, () -> Seeds.resolve(-2));
        assertEquals(56, Sizes.multipleOf8(60 - 5));
        assertEquals(64, Sizes.multipleOf8(60));
        assertEquals(8, Sizes.multipleOf8(3));
    }
}
