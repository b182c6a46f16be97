package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composable diffusion as A1111 writes it ({@code get_multicond_prompt_list}): the prompt split at every
 * whole word {@code AND} (upper case) into sub-prompts, each with an optional trailing {@code :weight}
 * (default 1). The sub-prompt's text keeps its leading spaces and loses its trailing ones. Every prompt,
 * also one without {@code AND}, goes through this: {@code a cat:1.5} is one part of weight 1.5.
 */
public final class PromptParts {
    /** One sub-prompt and its weight. */
    public record Part(String text, double weight) {
    }

    private static final Pattern AND = Pattern.compile("\\bAND\\b");
    private static final Pattern WEIGHT = Pattern.compile(
            "^(.*?)(?:\\s*:\\s*([-+]?(?:\\d+\\.?|\\d*\\.\\d+)))?\\s*$", Pattern.DOTALL);

    private PromptParts() {
    }

    public static List<Part> split(String prompt) {
        List<Part> out = new ArrayList<>();
        for (String sub : AND.split(prompt, -1)) {
            Matcher m = WEIGHT.matcher(sub);
            if (m.matches()) {
                out.add(new Part(m.group(1), m.group(2) == null ? 1.0 : Double.parseDouble(m.group(2))));
            } else {
                out.add(new Part(sub, 1.0));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** True when {@code text} holds an {@code AND} that A1111 would split at. */
    public static boolean hasAnd(String text) {
        return AND.matcher(text).find();
    }
}
