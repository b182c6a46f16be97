package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A prompt pair as A1111 runs it: extra-network tags taken out ({@code <lora:..>} kept as
 * {@link LoraTag}s, any other kind named in a warning), the prompt split into {@code AND} parts with
 * weights ({@link PromptParts}), each part and the negative prompt scheduled over the steps
 * ({@link PromptSchedule}). As in A1111 the negative prompt is scheduled but not split: an {@code AND}
 * in it is read as a word.
 */
public final class PromptPlan {
    /** One {@code AND} part of the prompt: its schedule and weight. */
    public record Part(PromptSchedule schedule, double weight) {
    }

    private final List<Part> parts;
    private final PromptSchedule negative;
    private final List<LoraTag> loras;
    private final List<String> warnings;

    private PromptPlan(List<Part> parts, PromptSchedule negative, List<LoraTag> loras, List<String> warnings) {
        this.parts = Collections.unmodifiableList(parts);
        this.negative = negative;
        this.loras = loras;
        this.warnings = Collections.unmodifiableList(warnings);
    }

    public static PromptPlan of(String prompt, String negativePrompt, int steps) {
        List<String> warnings = new ArrayList<>();
        PromptParser.Tagged pos = PromptParser.extractTags(prompt);
        PromptParser.Tagged neg = PromptParser.extractTags(negativePrompt);
        for (String t : pos.otherTags()) {
            warnings.add("the prompt's tag " + t + " is not supported (only <lora:...> is): it was removed and has no effect");
        }
        for (String t : neg.otherTags()) {
            warnings.add("the negative prompt's tag " + t + " is not supported: it was removed and has no effect");
        }
        for (LoraTag t : neg.loras()) {
            warnings.add("the negative prompt's tag <lora:" + t.name() + ":...> was removed and has no effect"
                    + " (LoRAs come from the prompt)");
        }
        if (PromptParts.hasAnd(neg.text())) {
            warnings.add("AND in the negative prompt is read as a word, as A1111 does (only the prompt is split"
                    + " into composable parts)");
        }
        List<Part> parts = new ArrayList<>();
        for (PromptParts.Part p : PromptParts.split(pos.text())) {
            parts.add(new Part(PromptSchedule.of(p.text(), steps), p.weight()));
        }
        return new PromptPlan(parts, PromptSchedule.of(neg.text(), steps), pos.loras(), warnings);
    }

    /** The {@code AND} parts of the prompt (at least one). */
    public List<Part> parts() {
        return parts;
    }

    public PromptSchedule negative() {
        return negative;
    }

    /** The prompt's LoRA tags. */
    public List<LoraTag> loras() {
        return loras;
    }

    /** Lines naming what was removed or read differently (never silently dropped). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * One part of weight 1 and both texts constant: sampled exactly as a plain prompt pair (one cond,
     * one uncond, {@code u + cfg * (c - u)}).
     */
    public boolean isPlain() {
        return parts.size() == 1 && parts.get(0).weight() == 1.0 && parts.get(0).schedule().isConstant()
                && negative.isConstant();
    }

    /** Every distinct text of the prompt's parts, in order of first use. */
    public Set<String> positiveTexts() {
        Set<String> out = new LinkedHashSet<>();
        for (Part p : parts) {
            p.schedule().entries().forEach(e -> out.add(e.text()));
        }
        return out;
    }

    /** Every distinct text of the negative prompt's schedule. */
    public Set<String> negativeTexts() {
        Set<String> out = new LinkedHashSet<>();
        negative.entries().forEach(e -> out.add(e.text()));
        return out;
    }
}
