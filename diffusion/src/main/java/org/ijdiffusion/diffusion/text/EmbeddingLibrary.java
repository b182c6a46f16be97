package org.ijdiffusion.diffusion.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The textual-inversion embeddings of a folder (and its sub-folders), by file name without extension,
 * as A1111 and ComfyUI name them. Files are read when a prompt first uses them. Pickle files
 * ({@code .pt}, {@code .bin}) are listed so that using one gives a clear refusal rather than "unknown".
 */
public final class EmbeddingLibrary {
    /** No embeddings. */
    public static final EmbeddingLibrary EMPTY = new EmbeddingLibrary("(no embeddings folder)", Map.of());

    private static final Set<String> EXTENSIONS = Set.of("safetensors", "pt", "bin");
    private static final int MAX_DEPTH = 8;

    private final String origin;
    private final Map<String, Path> files;
    private final Map<String, TextualInversion> loaded = new HashMap<>();

    private EmbeddingLibrary(String origin, Map<String, Path> files) {
        this.origin = origin;
        this.files = Collections.unmodifiableMap(files);
    }

    /** The embeddings in {@code dir}; a missing folder is an error with a message. */
    public static EmbeddingLibrary scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Embeddings folder " + dir + " does not exist or is not a folder.");
        }
        Map<String, Path> files = new TreeMap<>();
        try {
            org.ijdiffusion.diffusion.util.FolderWalk.files(dir, MAX_DEPTH).forEach(p -> {
                String n = p.getFileName().toString();
                int dot = n.lastIndexOf('.');
                if (dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                    String name = n.substring(0, dot);
                    Path old = files.get(name);
                    if (old == null || n.toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
                        files.put(name, p);
                    }
                }
            });
        } catch (IOException e) {
            throw new ModelFileException("Cannot list embeddings folder " + dir + ": " + e.getMessage(), e);
        }
        return new EmbeddingLibrary(dir.toString(), files);
    }

    /**
     * The embeddings of several folders (e.g. an A1111 {@code embeddings/} and a ComfyUI
     * {@code models/embeddings}); a name in an earlier folder wins. No folder: {@link #EMPTY}.
     */
    public static EmbeddingLibrary scan(java.util.List<Path> dirs) {
        if (dirs.isEmpty()) {
            return EMPTY;
        }
        Map<String, Path> files = new TreeMap<>();
        java.util.List<String> origins = new java.util.ArrayList<>();
        for (Path d : dirs) {
            EmbeddingLibrary one = scan(d);
            one.files.forEach(files::putIfAbsent);
            origins.add(one.origin);
        }
        return new EmbeddingLibrary(String.join(" or ", origins), files);
    }

    /** Every embedding name. */
    public Set<String> names() {
        return files.keySet();
    }

    public boolean has(String name) {
        return files.containsKey(name);
    }

    /**
     * The embedding called {@code name} (file name without extension; an extension or a sub-folder path,
     * as ComfyUI's {@code embedding:folder/name.safetensors}, is ignored).
     * Unknown names are an error listing close matches; pickles are refused.
     */
    public synchronized TextualInversion get(String name) {
        String n = stripExtension(name);
        Path p = files.get(n);
        if (this == EMPTY) {
            throw new IllegalArgumentException("The prompt uses the embedding '" + n + "' but no embeddings folder is"
                    + " set (command line: --embeddings-dir DIR).");
        }
        if (p == null) {
            throw new IllegalArgumentException(CloseNames.unknown("embedding", n, files.keySet(), origin));
        }
        return loaded.computeIfAbsent(n, k -> TextualInversion.load(p, k));
    }

    private static String stripExtension(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return name.substring(0, dot);
        }
        return name;
    }

    public String origin() {
        return origin;
    }
}
