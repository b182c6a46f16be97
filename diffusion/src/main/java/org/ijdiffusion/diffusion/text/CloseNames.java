package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Names close to a mistyped one (edit distance, case-insensitive), for "did you mean" messages. */
public final class CloseNames {
    private CloseNames() {
    }

    /** Up to {@code max} of {@code known} nearest to {@code name}, nearest first; only plausible ones. */
    public static List<String> closest(String name, Collection<String> known, int max) {
        String n = name.toLowerCase(Locale.ROOT);
        List<String> hits = new ArrayList<>();
        for (String k : known) {
            String l = k.toLowerCase(Locale.ROOT);
            if (l.contains(n) || n.contains(l) || distance(n, l) <= Math.max(2, n.length() / 3)) {
                hits.add(k);
            }
        }
        hits.sort(Comparator.comparingInt((String k) -> distance(n, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k));
        return hits.subList(0, Math.min(max, hits.size()));
    }

    /** "unknown X 'name'" plus the close matches, or the known names when there are few. */
    public static String unknown(String what, String name, Collection<String> known, String where) {
        List<String> close = closest(name, known, 5);
        String hint = !close.isEmpty() ? " Did you mean: " + String.join(", ", close) + "?"
                : known.isEmpty() ? " " + where + " holds none."
                : known.size() <= 10 ? " Known: " + String.join(", ", known.stream().sorted().toList()) + "."
                : "";
        return "Unknown " + what + " '" + name + "' (looked in " + where + ")." + hint;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
