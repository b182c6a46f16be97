package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ijdiffusion.diffusion.text.PromptParser.Fragment;
import org.junit.jupiter.api.Test;

class PromptParserTest {

    private static void expect(String prompt, Object... textWeight) {
        List<Fragment> f = PromptParser.parse(prompt).fragments();
        assertEquals(textWeight.length / 2, f.size(), "fragments of " + prompt + ": " + f);
        for (int i = 0; i < f.size(); i++) {
            assertEquals(textWeight[2 * i], f.get(i).text(), "text " + i + " of " + prompt);
            assertEquals(((Number) textWeight[2 * i + 1]).doubleValue(), f.get(i).weight(), 1e-12, "weight " + i + " of " + prompt);
        }
    }

    @Test
    void emphasis() {
        expect("a (b) c", "a ", 1, "b", 1.1, " c", 1);
        expect("((b))", "b", 1.1 * 1.1);
        expect("[b]", "b", 1 / 1.1);
        expect("[[b]]", "b", 1 / 1.1 / 1.1);
        expect("(b:1.3), c", "b", 1.3, ", c", 1);
        expect("(b: 0.5 )", "b", 0.5);
        expect("(a (b:2) c)", "a ", 1.1, "b", 2.2, " c", 1.1);
        expect("([a] b)", "a", 1 / 1.1 * 1.1, " b", 1.1);
        expect("(a) (b)", "a", 1.1, " ", 1, "b", 1.1);
        expect("(a)(b)", "ab", 1.1);
    }

    @Test
    void nestedWeightsMultiplyInA1111Order() {
        List<Fragment> f = PromptParser.parse("(((x)))").fragments();
        assertEquals(1.1 * 1.1 * 1.1, f.get(0).weight(), 0.0);
    }

    @Test
    void a1111DocumentedExampleBitForBit() {
        List<Fragment> f = PromptParser.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).").fragments();
        String[] texts = {"a ", "house", " ", "on", " a ", "hill", ", sun, ", "sky", "."};
        double[] weights = {1.0, 1.5730000000000004, 1.1, 1.0, 1.1, 0.55, 1.1, 1.4641000000000006, 1.1};
        assertEquals(texts.length, f.size(), f.toString());
        for (int i = 0; i < texts.length; i++) {
            assertEquals(texts[i], f.get(i).text());
            assertEquals(weights[i], f.get(i).weight(), 0.0, "weight of " + texts[i]);
        }
    }

    @Test
    void escapes() {
        expect("\\(a\\)", "(a)", 1);
        expect("\\[a\\]", "[a]", 1);
        expect("(\\(a\\))", "(a)", 1.1);
        expect("a\\\\b", "a\\b", 1);
    }

    @Test
    void unbalancedBracketsLikeA1111() {
        expect("a (b", "a ", 1, "b", 1.1);
        expect("a [b", "a ", 1, "b", 1 / 1.1);
        expect("a) b", "a) b", 1);
        expect("a] b", "a] b", 1);
        expect("a:1.2) b", "a:1.2) b", 1);
        expect("a: b", "a: b", 1);
        expect("((a) b", "a", 1.21, " b", 1.1);
    }

    @Test
    void breakKeyword() {
        List<Fragment> f = PromptParser.parse("a cat BREAK a dog").fragments();
        assertEquals(3, f.size());
        assertEquals("a cat", f.get(0).text());
        assertTrue(f.get(1).isBreak());
        assertEquals("a dog", f.get(2).text());
        expect("BREAKING news, break", "BREAKING news, break", 1);
        List<Fragment> g = PromptParser.parse("(a BREAK b)").fragments();
        assertEquals(3, g.size());
        assertEquals(1.1, g.get(0).weight(), 1e-12);
        assertTrue(g.get(1).isBreak());
        assertEquals(1.1, g.get(2).weight(), 1e-12);
    }

    @Test
    void emptyPrompt() {
        expect("", "", 1);
        expect("()", "", 1);
    }

    @Test
    void loraAndOtherTags() {
        PromptParser.Parsed p = PromptParser.parse("<lora:foo:0.7>a cat, <lora:bar:0.5:0.8> <hypernet:h:1> <lora:baz>");
        assertEquals(List.of(new LoraTag("foo", 0.7, 0.7), new LoraTag("bar", 0.8, 0.5), new LoraTag("baz", 1.0, 1.0)),
                p.loras());
        assertEquals(List.of("hypernet"), p.ignoredTags());
        expect("<lora:foo:0.7>a cat, <lora:bar:0.5:0.8> <hypernet:h:1>", "a cat,  ", 1);
        PromptParser.Parsed named = PromptParser.parse("x <lyco:n:unet=0.3:te=0.6>");
        assertEquals(List.of(new LoraTag("n", 0.3, 0.6)), named.loras());
        PromptParser.Parsed teOnly = PromptParser.parse("<lora:n:te=0.4>");
        assertEquals(List.of(new LoraTag("n", 0.4, 0.4)), teOnly.loras());
        expect("(a <lora:n:1> b:1.5)", "a  b", 1.5);
    }

    @Test
    void clearErrors() {
        assertThrows(IllegalArgumentException.class, () -> PromptParser.parse("(a:1.2.3)"));
        assertThrows(IllegalArgumentException.class, () -> PromptParser.parse("<lora:x:abc>"));
    }
}
