package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A1111's prompt editing and alternation ({@code modules/prompt_parser.py},
 * {@code get_learned_conditioning_prompt_schedules}, default "new" timelines): the prompt text in force
 * at each sampling step.
 *
 * <ul>
 * <li>{@code [from:to:when]}, {@code [to:when]} (add), {@code [from::when]} (remove), nestable. A number
 * written with a decimal point is a fraction of the steps ({@code int(when * steps)}), one without is a
 * step number; both capped at {@code steps}.</li>
 * <li>{@code [a|b|c]}: entry {@code t} (1-based) uses option {@code (t - 1) % n}; empty options allowed.</li>
 * <li>Other brackets ({@code (a)}, {@code (a:1.2)}, {@code [a]}) stay in the text for the emphasis parser.</li>
 * <li>A prompt the grammar does not accept (a {@code |} outside an alternation, a trailing lone
 * backslash) is used literally for every step, as A1111 does.</li>
 * </ul>
 * The result is a list of entries {@code (endAtStep, text)}; sampling call {@code s} (0-based) uses the
 * first entry with {@code s <= endAtStep} (A1111's {@code reconstruct_cond_batch}).
 */
public final class PromptSchedule {
    /** The text used up to and including sampling call {@code endAtStep}. */
    public record Entry(int endAtStep, String text) {
    }

    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[eE][+-]?\\d+)?");

    private final List<Entry> entries;

    private PromptSchedule(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /** The schedule of {@code prompt} (extra-network tags already removed) over {@code steps} steps. */
    public static PromptSchedule of(String prompt, int steps) {
        List<Node> tree = new Parser(prompt).parseStart();
        if (tree == null) {
            return new PromptSchedule(List.of(new Entry(steps, prompt)));
        }
        TreeSet<Integer> ends = new TreeSet<>();
        ends.add(steps);
        for (Node n : tree) {
            n.collect(steps, ends);
        }
        List<Entry> out = new ArrayList<>();
        for (int t : ends) {
            StringBuilder s = new StringBuilder();
            for (Node n : tree) {
                n.at(t, steps, s);
            }
            out.add(new Entry(t, s.toString()));
        }
        return new PromptSchedule(out);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True when the text is the same at every step. */
    public boolean isConstant() {
        return entries.size() == 1;
    }

    /** The index of the entry in force at sampling call {@code call} (0-based). */
    public int indexAt(int call) {
        for (int i = 0; i < entries.size(); i++) {
            if (call <= entries.get(i).endAtStep()) {
                return i;
            }
        }
        return 0; // as A1111: past the last entry its target index stays 0
    }

    /** The text in force at sampling call {@code call}. */
    public String textAt(int call) {
        return entries.get(indexAt(call)).text();
    }

    // ---- the parse tree -------------------------------------------------------------------------

    private interface Node {
        default void collect(int steps, TreeSet<Integer> ends) {
        }

        void at(int step, int steps, StringBuilder out);
    }

    private record Text(String text) implements Node {
        @Override
        public void at(int step, int steps, StringBuilder out) {
            out.append(text);
        }
    }

    private record Seq(List<Node> items) implements Node {
        @Override
        public void collect(int steps, TreeSet<Integer> ends) {
            items.forEach(n -> n.collect(steps, ends));
        }

        @Override
        public void at(int step, int steps, StringBuilder out) {
            items.forEach(n -> n.at(step, steps, out));
        }
    }

    /** {@code (x)}, {@code (x:y)}, {@code [x]}: the brackets kept as text around the inner prompts. */
    private record Emphasized(String open, Seq first, Seq second, String close) implements Node {
        @Override
        public void collect(int steps, TreeSet<Integer> ends) {
            first.collect(steps, ends);
            if (second != null) {
                second.collect(steps, ends);
            }
        }

        @Override
        public void at(int step, int steps, StringBuilder out) {
            out.append(open);
            first.at(step, steps, out);
            if (second != null) {
                out.append(':');
                second.at(step, steps, out);
            }
            out.append(close);
        }
    }

    private record Scheduled(Seq before, Seq after, String number) implements Node {
        /** A1111: a decimal point makes a fraction of the steps; truncated, capped at steps. */
        int when(int steps) {
            double v = Double.parseDouble(number);
            if (number.indexOf('.') >= 0) {
                v *= steps;
            }
            return (int) Math.min(steps, (long) v);
        }

        @Override
        public void collect(int steps, TreeSet<Integer> ends) {
            int w = when(steps);
            if (w >= 1) {
                ends.add(w);
            }
            if (before != null) {
                before.collect(steps, ends);
            }
            after.collect(steps, ends);
        }

        @Override
        public void at(int step, int steps, StringBuilder out) {
            if (step <= when(steps)) {
                if (before != null) {
                    before.at(step, steps, out);
                }
            } else {
                after.at(step, steps, out);
            }
        }
    }

    private record Alternate(List<Seq> options) implements Node {
        @Override
        public void collect(int steps, TreeSet<Integer> ends) {
            for (int t = 1; t <= steps; t++) {
                ends.add(t);
            }
            options.forEach(o -> o.collect(steps, ends));
        }

        @Override
        public void at(int step, int steps, StringBuilder out) {
            options.get(Math.floorMod(step - 1, options.size())).at(step, steps, out);
        }
    }

    // ---- a backtracking parser of A1111's grammar ---------------------------------------------------

    /**
     * start: (prompt | stray {@code []():} characters)*; prompt: (emphasized | scheduled | alternate |
     * plain | whitespace)*. A construct is tried before reading its bracket as a stray character.
     */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        /** The top-level nodes, or null when the grammar rejects the prompt. */
        List<Node> parseStart() {
            List<Node> out = new ArrayList<>();
            while (pos < s.length()) {
                Seq p = parsePrompt();
                if (p == null) {
                    return null;
                }
                out.addAll(p.items());
                if (pos >= s.length()) {
                    break;
                }
                char c = s.charAt(pos);
                if (c == '[' || c == ']' || c == '(' || c == ')' || c == ':') {
                    out.add(new Text(String.valueOf(c)));
                    pos++;
                } else {
                    return null; // '|' outside an alternation, or a lone trailing backslash
                }
            }
            return out;
        }

        /** A (possibly empty) prompt from pos; null only on a lone trailing backslash. */
        private Seq parsePrompt() {
            List<Node> items = new ArrayList<>();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '[' || c == '(') {
                    int start = pos;
                    Node n = c == '[' ? square() : round();
                    if (n == null) {
                        pos = start;
                        break;
                    }
                    items.add(n);
                } else if (c == ']' || c == ')' || c == ':' || c == '|') {
                    break;
                } else {
                    int start = pos;
                    while (pos < s.length()) {
                        char d = s.charAt(pos);
                        if (d == '\\') {
                            if (pos + 1 >= s.length()) {
                                break;
                            }
                            pos += 2;
                        } else if (d == '[' || d == ']' || d == '(' || d == ')' || d == ':' || d == '|') {
                            break;
                        } else {
                            pos++;
                        }
                    }
                    if (pos == start) {
                        return null; // a backslash with nothing after it
                    }
                    items.add(new Text(s.substring(start, pos)));
                }
            }
            return new Seq(items);
        }

        private boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** {@code ( prompt )} or {@code ( prompt : prompt )}; null (pos undefined) if neither. */
        private Node round() {
            pos++;
            Seq first = parsePrompt();
            if (first == null) {
                return null;
            }
            if (eat(')')) {
                return new Emphasized("(", first, null, ")");
            }
            if (!eat(':')) {
                return null;
            }
            Seq second = parsePrompt();
            return second != null && eat(')') ? new Emphasized("(", first, second, ")") : null;
        }

        /** scheduled, alternate or {@code [ prompt ]}; null (pos undefined) if none. */
        private Node square() {
            pos++;
            Seq first = parsePrompt();
            if (first == null) {
                return null;
            }
            if (eat(']')) {
                return new Emphasized("[", first, null, "]");
            }
            if (pos < s.length() && s.charAt(pos) == '|') {
                List<Seq> options = new ArrayList<>();
                options.add(first);
                while (eat('|')) {
                    Seq o = parsePrompt();
                    if (o == null) {
                        return null;
                    }
                    options.add(o);
                }
                return eat(']') ? new Alternate(options) : null;
            }
            if (!eat(':')) {
                return null;
            }
            int afterColon = pos;
            String when = number();
            if (when != null) {
                return new Scheduled(null, first, when);
            }
            pos = afterColon;
            Seq second = parsePrompt();
            if (second == null || !eat(':')) {
                return null;
            }
            when = number();
            return when == null ? null : new Scheduled(first, second, when);
        }

        /** {@code [ws] NUMBER [ws] ]} from pos: the number's text, or null. */
        private String number() {
            skipSpace();
            Matcher m = NUMBER.matcher(s).region(pos, s.length());
            if (!m.lookingAt()) {
                return null;
            }
            pos = m.end();
            skipSpace();
            return eat(']') ? m.group() : null;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
