package org.ijdiffusion.diffusion.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds embedding names in a token sequence as A1111 does: each name is tokenized on its own, and a
 * name matches where its tokens appear in the prompt's tokens; of several names starting with the same
 * token the longest is tried first.
 */
final class EmbeddingMatcher {
    /** A name found: its embedding's name and how many prompt tokens it covers. */
    record Match(String name, int length) {
    }

    private record Entry(int[] ids, String name) {
    }

    private final EmbeddingLibrary library;
    private final Map<Integer, List<Entry>> byFirstToken = new HashMap<>();

    EmbeddingMatcher(ClipTokenizer tokenizer, EmbeddingLibrary library) {
        this.library = library;
        for (String name : library.names()) {
            int[] ids = tokenizer.encode(name);
            if (ids.length > 0) {
                byFirstToken.computeIfAbsent(ids[0], k -> new ArrayList<>()).add(new Entry(ids, name));
            }
        }
        byFirstToken.values().forEach(l -> l.sort(Comparator.comparingInt((Entry e) -> -e.ids.length)));
    }

    EmbeddingLibrary library() {
        return library;
    }

    /** The embedding whose name's tokens start at {@code tokens[at]}, or null. */
    Match at(int[] tokens, int at) {
        List<Entry> candidates = byFirstToken.get(tokens[at]);
        if (candidates == null) {
            return null;
        }
        for (Entry e : candidates) {
            if (at + e.ids.length <= tokens.length && matches(tokens, at, e.ids)) {
                return new Match(e.name, e.ids.length);
            }
        }
        return null;
    }

    private static boolean matches(int[] tokens, int at, int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (tokens[at + i] != ids[i]) {
                return false;
            }
        }
        return true;
    }
}
