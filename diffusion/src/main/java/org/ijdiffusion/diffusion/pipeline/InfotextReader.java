package org.ijdiffusion.diffusion.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads A1111's "parameters" text back (as its {@code parse_generation_parameters} does): the prompt
 * lines, the lines from {@code Negative prompt:} on, and the {@code Key: value} pairs of the last line
 * (when it holds at least three; quoted values are JSON strings).
 */
public final class InfotextReader {
    /** The parsed text: prompt, negative prompt, and the parameters by key in order. */
    public record Parameters(String prompt, String negativePrompt, Map<String, String> values) {
        public String get(String key) {
            return values.get(key);
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }
    }

    private static final Pattern PARAM = Pattern.compile("\\s*(\\w[\\w \\-/]+):\\s*(\"(?:\\\\.|[^\\\\\"])+\"|[^,]*)(?:,|$)");

    private InfotextReader() {
    }

    public static Parameters parse(String text) {
        String[] lines = text.strip().split("\n", -1);
        String last = lines[lines.length - 1];
        int promptLines = lines.length - 1;
        if (count(last) < 3) {
            promptLines = lines.length;
            last = "";
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder negative = new StringBuilder();
        boolean inNegative = false;
        for (int i = 0; i < promptLines; i++) {
            String line = lines[i].strip();
            if (line.startsWith("Negative prompt:")) {
                inNegative = true;
                line = line.substring("Negative prompt:".length()).strip();
            }
            StringBuilder target = inNegative ? negative : prompt;
            if (target.length() > 0) {
                target.append('\n');
            }
            target.append(line);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(last);
        while (m.find()) {
            String v = m.group(2);
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = unquote(v);
            }
            values.put(m.group(1), v);
            if (m.end() == m.start()) {
                break;
            }
        }
        return new Parameters(prompt.toString(), negative.toString(), Collections.unmodifiableMap(values));
    }

    private static int count(String line) {
        Matcher m = PARAM.matcher(line);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** A JSON string literal's value. */
    static String unquote(String q) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i < q.length() - 1; i++) {
            char c = q.charAt(i);
            if (c != '\\' || i + 1 >= q.length() - 1) {
                s.append(c);
                continue;
            }
            char e = q.charAt(++i);
            switch (e) {
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'u' -> {
                    String hex = i + 4 < q.length() ? q.substring(i + 1, i + 5) : "";
                    if (hex.matches("[0-9a-fA-F]{4}")) {
                        s.append((char) Integer.parseInt(hex, 16));
                        i += 4;
                    } else {
                        s.append("\\u"); // not JSON: kept as written
                    }
                }
                default -> s.append(e);
            }
        }
        return s.toString();
    }
}
