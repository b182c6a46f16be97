package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A1111's doctests of {@code get_learned_conditioning_prompt_schedules} (10 steps, no hires) as data,
 * then cases worked out by hand from its grammar and step rules.
 */
class PromptScheduleTest {
    /** {prompt, "end:text|end:text..."}: A1111's doctest schedules for 10 steps. */
    private static final String[][] DOCTESTS = {
        {"test", "10:test"},
        {"a [b:3]", "3:a |10:a b"},
        {"a [b: 3]", "3:a |10:a b"},
        {"a [[[b]]:2]", "2:a |10:a [[b]]"},
        {"[(a:2):3]", "3:|10:(a:2)"},
        {"a [b : c : 1] d", "1:a b  d|10:a  c  d"},
        {"a[b:[c:d:2]:1]e", "1:abe|2:ace|10:ade"},
        {"a [unbalanced", "10:a [unbalanced"},
        {"a [b:.5] c", "5:a  c|10:a b c"},
        {"a [{b|d{:.5] c", "10:a [{b|d{:.5] c"},
        {"((a][:b:c [d:3]", "3:((a][:b:c |10:((a][:b:c d"},
        {"[a|(b:1.1)]", "1:a|2:(b:1.1)|3:a|4:(b:1.1)|5:a|6:(b:1.1)|7:a|8:(b:1.1)|9:a|10:(b:1.1)"},
        {"[fe|]male", "1:female|2:male|3:female|4:male|5:female|6:male|7:female|8:male|9:female|10:male"},
        {"[fe|||]male", "1:female|2:male|3:male|4:male|5:female|6:male|7:male|8:male|9:female|10:male"},
    };

    private static String render(PromptSchedule s) {
        List<String> out = new ArrayList<>();
        for (PromptSchedule.Entry e : s.entries()) {
            out.add(e.endAtStep() + ":" + e.text());
        }
        return String.join("|", out);
    }

    private static void expect(String prompt, int steps, String schedule) {
        assertEquals(schedule, render(PromptSchedule.of(prompt, steps)), prompt + " over " + steps + " steps");
    }

    @Test
    void a1111Doctests() {
        for (String[] t : DOCTESTS) {
            expect(t[0], 10, t[1]);
        }
    }

    @Test
    void handWorkedSchedules() {
        // remove: "a" until step 4, then nothing
        expect("[a::4]", 10, "4:a|10:");
        // from:to with a fraction: int(0.25 * 20) = 5
        expect("x [cat:dog:0.25] y", 20, "5:x cat y|20:x dog y");
        // a decimal point makes a fraction even when >= 1 (A1111's default timelines): 1.0 * 10 = 10
        expect("[a:b:1.0]", 10, "10:a");
        // 2.5 * 4 = 10, capped at the 4 steps: never switches
        expect("x [a:b:2.5]", 4, "4:x a");
        // int() truncates: 0.33 * 10 = 3.3 -> 3
        expect("[a:b:0.33]", 10, "3:a|10:b");
        // when 0 (or negative) never adds a boundary: 'after' from the start
        expect("[a:b:0]", 10, "10:b");
        expect("[a:b:-2]", 10, "10:b");
        // a step number beyond the steps is capped: 'before' throughout
        expect("[a:b:50]", 10, "10:a");
        // an exponent number without a point is a step number (1e1 = 10)
        expect("[a:b:1e1]", 20, "10:a|20:b");
        // alternation nested in an edit: alternates up to step 4, then c
        expect("[[a|b]:c:4]", 6, "1:a|2:b|3:a|4:b|5:c|6:c");
        // edit nested in an alternation option
        expect("[x|[y:z:2]]", 4, "1:x|2:y|3:x|4:z");
        // three options with an empty one
        expect("[a||c] d", 3, "1:a d|2: d|3:c d");
        // emphasis and weights stay as text; edits inside them resolve
        expect("(a [b:c:2]:1.2)", 4, "2:(a b:1.2)|4:(a c:1.2)");
        // escaped brackets are text, not an edit
        expect("\\[a:b:3\\]", 10, "10:\\[a:b:3\\]");
        // '|' outside an alternation: the grammar fails and the whole prompt is literal (edits too)
        expect("a | b [c:d:2]", 10, "10:a | b [c:d:2]");
        // a lone trailing backslash fails the grammar as well
        expect("[c:d:2] e\\", 10, "10:[c:d:2] e\\");
        // too many colons: no edit, all text
        expect("[a:b:c:3]", 10, "10:[a:b:c:3]");
        // spaces around the number
        expect("[a:b: 2 ]", 5, "2:a|5:b");
        expect("", 10, "10:");
    }

    @Test
    void samplingCallsUseTheFirstEntryThatHasNotEnded() {
        // A1111's reconstruct_cond_batch: call s uses the first entry with s <= end
        PromptSchedule s = PromptSchedule.of("a [b:3]", 10);
        List<String> perCall = new ArrayList<>();
        for (int call = 0; call < 10; call++) {
            perCall.add(s.textAt(call));
        }
        assertEquals(List.of("a ", "a ", "a ", "a ", "a b", "a b", "a b", "a b", "a b", "a b"), perCall);
        PromptSchedule alt = PromptSchedule.of("[x|y]", 5);
        List<String> alts = new ArrayList<>();
        for (int call = 0; call < 5; call++) {
            alts.add(alt.textAt(call));
        }
        assertEquals(List.of("x", "x", "y", "x", "y"), alts);
    }

    @Test
    void plainPromptsAreConstantAndUnchanged() {
        for (String p : new String[] {"a photo of a cat", "(masterpiece:1.2), [blurry], (((sky)))", "a \\(b\\) c",
                "BREAK x", "a: b", "(unbalanced", "x]y)"}) {
            PromptSchedule s = PromptSchedule.of(p, 20);
            assertTrue(s.isConstant(), p);
            assertEquals(p, s.textAt(0));
        }
    }
}
