package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A1111's AND split (get_multicond_prompt_list) and the plan built on it. */
class PromptPartsTest {
    private static void expect(String prompt, Object... textWeight) {
        List<PromptParts.Part> parts = PromptParts.split(prompt);
        assertEquals(textWeight.length / 2, parts.size(), prompt + ": " + parts);
        for (int i = 0; i < parts.size(); i++) {
            assertEquals(textWeight[2 * i], parts.get(i).text(), prompt);
            assertEquals(((Number) textWeight[2 * i + 1]).doubleValue(), parts.get(i).weight(), 0.0, prompt);
        }
    }

    @Test
    void splitsAtAndWithWeights() {
        expect("a cat AND a dog:1.5", "a cat", 1, " a dog", 1.5);
        expect("a cat : 0.7 AND  b ", "a cat", 0.7, "  b", 1);
        expect("a cat", "a cat", 1);
        expect("a cat:1.2", "a cat", 1.2);
        expect("x:-.5 AND y:+2.", "x", -0.5, " y", 2);
        expect("ANDROID and BRAND", "ANDROID and BRAND", 1);
        expect("a AND", "a", 1, "", 1);
        expect("(a:1.2)", "(a:1.2)", 1);
        expect("a:b", "a:b", 1);
    }

    @Test
    void planKeepsTagsOutAndWarnsByName() {
        PromptPlan p = PromptPlan.of("<hypernet:anime:0.5> a cat <lora:x:0.5> AND [a dog:a fox:0.5]",
                "ugly AND bad <lora:y:1> <foo:bar>", 10);
        assertEquals(2, p.parts().size());
        assertEquals(List.of(new LoraTag("x", 0.5, 0.5)), p.loras());
        assertEquals(" a cat", p.parts().get(0).schedule().textAt(0));
        assertEquals(" a dog", p.parts().get(1).schedule().textAt(0));
        assertEquals(" a fox", p.parts().get(1).schedule().textAt(9));
        assertEquals("ugly AND bad  ", p.negative().textAt(0));
        String w = String.join("\n", p.warnings());
        assertTrue(w.contains("<hypernet:anime:0.5>"), w);
        assertTrue(w.contains("<foo:bar>"), w);
        assertTrue(w.contains("<lora:y:...>"), w);
        assertTrue(w.contains("AND in the negative prompt"), w);
        assertFalse(p.isPlain());
        assertTrue(PromptPlan.of("a photo (of:1.1) a cat", "blurry", 20).isPlain());
        assertTrue(PromptPlan.of("a photo", "", 20).warnings().isEmpty());
        assertFalse(PromptPlan.of("a photo:0.5", "", 20).isPlain());
        assertFalse(PromptPlan.of("a photo", "[x|y]", 20).isPlain());
    }
}
