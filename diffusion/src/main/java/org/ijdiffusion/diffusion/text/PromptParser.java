package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AUTOMATIC1111 prompt syntax: emphasis and extra-network tags.
 *
 * <ul>
 * <li>{@code (text)} multiplies the weight by 1.1, {@code [text]} divides it by 1.1, nesting multiplies
 * ({@code ((text))} = 1.21); {@code (text:1.3)} sets the factor explicitly.</li>
 * <li>{@code \(} {@code \)} {@code \[} {@code \]} {@code \\} are literal characters.</li>
 * <li>Unbalanced brackets as in A1111: a stray closer is literal text; an opener never closed applies its
 * factor up to the end of the prompt; {@code :number)} without an open round bracket is literal.</li>
 * <li>{@code BREAK} (upper case, a whole word) ends the current 75-token chunk. Unlike A1111 (where a
 * BREAK inside brackets gets its weight multiplied, stops being recognised and is encoded as the word
 * "break" with a negative weight) a BREAK inside brackets still breaks.</li>
 * <li>Every {@code <word:args>} tag is removed from the text. {@code <lora:name>}, {@code <lora:name:w>}
 * and {@code <lora:name:w_te:w_unet>} (A1111 order: the second number is the UNet's, defaulting to the
 * first; named {@code te=} / {@code unet=} also accepted; {@code lyco} is an alias) become
 * {@link LoraTag}s; other tags ({@code hypernet}, ...) are returned by name in {@link Parsed#ignoredTags()}.</li>
 * </ul>
 * Prompt editing {@code [a:b:step]}, alternation {@code [a|b]} and {@code AND} are resolved before this
 * parser sees the text ({@link PromptPlan}). Textual-inversion embeddings are found later, by {@link PromptChunker}.
 */
public final class PromptParser {
    /** Factor of one round bracket pair. */
    public static final double ROUND = 1.1;
    /** Factor of one square bracket pair. */
    public static final double SQUARE = 1 / 1.1;

    private static final Pattern ATTENTION = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:\\s*([+-]?[.\\d]+)\\s*\\)|\\)|]|[^\\\\()\\[\\]:]+|:");
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*", Pattern.DOTALL);
    private static final Pattern EXTRA_NETWORK = Pattern.compile("<(\\w+):([^>]+)>");

    /** A piece of prompt text and its weight; {@link #isBreak()} marks a {@code BREAK}. */
    public record Fragment(String text, double weight) {
        static final Fragment BREAK_MARK = new Fragment("BREAK", -1);

        public boolean isBreak() {
            return weight == -1 && "BREAK".equals(text);
        }
    }

    /** The parse result: weighted fragments in order, LoRA tags, names of other removed tags. */
    public record Parsed(List<Fragment> fragments, List<LoraTag> loras, List<String> ignoredTags) {
    }

    private PromptParser() {
    }

    /** A prompt with its extra-network tags taken out: the remaining text, LoRA tags, the other tags whole. */
    public record Tagged(String text, List<LoraTag> loras, List<String> otherTags) {
    }

    public static Parsed parse(String prompt) {
        Tagged t = extractTags(prompt);
        List<String> kinds = new ArrayList<>();
        for (String tag : t.otherTags()) {
            kinds.add(tag.substring(1, tag.indexOf(':')));
        }
        return new Parsed(parseAttention(t.text()), t.loras(), Collections.unmodifiableList(kinds));
    }

    /** Removes every {@code <word:args>} tag (A1111's extra-network syntax) from the prompt. */
    public static Tagged extractTags(String prompt) {
        List<LoraTag> loras = new ArrayList<>();
        List<String> other = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Matcher m = EXTRA_NETWORK.matcher(prompt == null ? "" : prompt);
        while (m.find()) {
            String kind = m.group(1);
            if (kind.equals("lora") || kind.equals("lyco")) {
                loras.add(loraTag(m.group(2), m.group()));
            } else {
                other.add(m.group());
            }
            m.appendReplacement(text, "");
        }
        m.appendTail(text);
        return new Tagged(text.toString(), Collections.unmodifiableList(loras), Collections.unmodifiableList(other));
    }

    /** The weighted fragments of a prompt without extra-network tags (A1111's parse_prompt_attention). */
    public static List<Fragment> parseAttention(String text) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        List<Integer> square = new ArrayList<>();
        Set<Integer> breaks = new HashSet<>();
        Matcher m = ATTENTION.matcher(text);
        while (m.find()) {
            String t = m.group();
            String weight = m.group(1);
            if (t.startsWith("\\")) {
                texts.add(t.substring(1));
                weights.add(1.0);
            } else if (t.equals("(")) {
                round.add(texts.size());
            } else if (t.equals("[")) {
                square.add(texts.size());
            } else if (weight != null && !round.isEmpty()) {
                multiply(weights, breaks, round.remove(round.size() - 1), number(weight, t));
            } else if (t.equals(")") && !round.isEmpty()) {
                multiply(weights, breaks, round.remove(round.size() - 1), ROUND);
            } else if (t.equals("]") && !square.isEmpty()) {
                multiply(weights, breaks, square.remove(square.size() - 1), SQUARE);
            } else {
                String[] parts = BREAK.split(t, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        breaks.add(texts.size());
                        texts.add(Fragment.BREAK_MARK.text());
                        weights.add(Fragment.BREAK_MARK.weight());
                    }
                    texts.add(parts[i]);
                    weights.add(1.0);
                }
            }
        }
        for (int pos : round) {
            multiply(weights, breaks, pos, ROUND);
        }
        for (int pos : square) {
            multiply(weights, breaks, pos, SQUARE);
        }
        List<Fragment> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int last = out.size() - 1;
            double w = weights.get(i);
            if (last >= 0 && out.get(last).weight() == w && !breaks.contains(i) && !out.get(last).isBreak()) {
                out.set(last, new Fragment(out.get(last).text() + texts.get(i), w));
            } else {
                out.add(new Fragment(texts.get(i), w));
            }
        }
        if (out.isEmpty()) {
            out.add(new Fragment("", 1.0));
        }
        return Collections.unmodifiableList(out);
    }

    /** Weights from {@code from} on times {@code factor}; BREAK marks stay BREAKs. */
    private static void multiply(List<Double> weights, Set<Integer> breaks, int from, double factor) {
        for (int i = from; i < weights.size(); i++) {
            if (!breaks.contains(i)) {
                weights.set(i, weights.get(i) * factor);
            }
        }
    }

    private static double number(String s, String context) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad emphasis weight '" + context + "' in the prompt: write it like (text:1.2)");
        }
    }

    private static LoraTag loraTag(String args, String tag) {
        String[] items = args.split(":", -1);
        List<String> positional = new ArrayList<>();
        Double te = null;
        Double unet = null;
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                positional.add(item);
            } else if (item.substring(0, eq).trim().equals("te")) {
                te = loraNumber(item.substring(eq + 1), tag);
            } else if (item.substring(0, eq).trim().equals("unet")) {
                unet = loraNumber(item.substring(eq + 1), tag);
            }
        }
        String name = positional.isEmpty() ? "" : positional.get(0).trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("LoRA tag " + tag + " has no name: write <lora:name:weight>");
        }
        double textWeight = te != null ? te : positional.size() > 1 ? loraNumber(positional.get(1), tag) : 1.0;
        double unetWeight = unet != null ? unet : positional.size() > 2 ? loraNumber(positional.get(2), tag) : textWeight;
        return new LoraTag(name, unetWeight, textWeight);
    }

    private static double loraNumber(String s, String tag) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LoRA tag " + tag + ": '" + s + "' is not a number; write <lora:name:0.8>");
        }
    }
}
