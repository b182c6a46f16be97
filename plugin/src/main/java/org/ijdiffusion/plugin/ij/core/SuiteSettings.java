package org.ijdiffusion.plugin.ij.core;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The suite's settings: model folders (one per {@link ModelKind}, plus an A1111/ComfyUI {@code models/}
 * folder), the default checkpoint and the number of CPU threads. Read from and written to any
 * key-value store (ImageJ's Prefs in the plugin, a map in tests). No ImageJ here.
 */
public record SuiteSettings(String modelsRoot, Map<ModelKind, String> folders, String defaultModel, int threads) {
    /** The Prefs key prefix. */
    public static final String PREFIX = "ijdiffusion.";
    public static final String MODELS_ROOT = "models_root";
    public static final String DEFAULT_MODEL = "default_model";
    public static final String THREADS = "threads";

    public SuiteSettings {
        folders = Map.copyOf(folders);
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all cores) or more (got " + threads + ")");
        }
    }

    public static SuiteSettings load(Function<String, String> store) {
        Map<ModelKind, String> f = new EnumMap<>(ModelKind.class);
        for (ModelKind k : ModelKind.values()) {
            f.put(k, nz(store.apply(PREFIX + k.key())));
        }
        int threads = 0;
        try {
            threads = Math.max(0, Integer.parseInt(nz(store.apply(PREFIX + THREADS)).trim()));
        } catch (NumberFormatException e) {
            // not set: all cores
        }
        return new SuiteSettings(nz(store.apply(PREFIX + MODELS_ROOT)), f, nz(store.apply(PREFIX + DEFAULT_MODEL)),
                threads);
    }

    public void save(BiConsumer<String, String> store) {
        store.accept(PREFIX + MODELS_ROOT, modelsRoot);
        for (ModelKind k : ModelKind.values()) {
            store.accept(PREFIX + k.key(), folder(k));
        }
        store.accept(PREFIX + DEFAULT_MODEL, defaultModel);
        store.accept(PREFIX + THREADS, Integer.toString(threads));
    }

    public String folder(ModelKind k) {
        return nz(folders.get(k));
    }

    public ModelFolders modelFolders() {
        Map<ModelKind, Path> f = new EnumMap<>(ModelKind.class);
        folders.forEach((k, v) -> {
            if (!v.isBlank()) {
                f.put(k, Path.of(v));
            }
        });
        return new ModelFolders(modelsRoot.isBlank() ? null : Path.of(modelsRoot), f);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
