package org.ijdiffusion.plugin.ij.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** ImageJ's macro option syntax: {@code key=value key=[value with spaces] flag}. No ImageJ here. */
public final class MacroOptions {
    private MacroOptions() {
    }

    /** Keys (lower case, as ImageJ compares them) to values; a bare flag maps to "true". */
    public static Map<String, String> parse(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = options == null ? "" : options;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int k = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(k, i).toLowerCase(java.util.Locale.ROOT);
            if (i >= n || s.charAt(i) != '=') {
                out.put(key, "true");
                continue;
            }
            i++; // '='
            String value;
            if (i < n && s.charAt(i) == '[') {
                int end = s.indexOf(']', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed '[' in the value of '" + key + "'");
                }
                value = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int v = i;
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                value = s.substring(v, i);
            }
            out.put(key, value);
        }
        return out;
    }

    /** A value as ImageJ's recorder writes it: in brackets when empty or when it has a space. */
    public static String quote(String v) {
        if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace) || v.indexOf('[') >= 0 || v.indexOf('=') >= 0) {
            if (v.indexOf(']') >= 0) {
                throw new IllegalArgumentException("a value cannot contain ']' in an ImageJ macro: " + v);
            }
            return "[" + v + "]";
        }
        return v;
    }

    /** Escapes a string for a double-quoted macro-language literal. */
    public static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
