package org.ijdiffusion.plugin.ij.core;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The live preview during a generation: shown every {@code every} steps (0 = none; default every step),
 * and whether the preview window stays open after a finished generation ({@code keep}; a cancelled or
 * failed one always closes it). Previews are TAESD decodes of the step's predicted clean image when a
 * TAESD decoder is found (the {@code taesd} folder or an A1111 {@code VAE-approx} / ComfyUI
 * {@code vae_approx} folder of the models folder), else the cheap latent-to-RGB approximation.
 * Kept in the same store as {@link SuiteSettings}. No ImageJ here.
 */
public record PreviewSettings(int every, boolean keep) {
    public static final String EVERY = "preview_every";
    public static final String KEEP = "keep_preview";
    public static final PreviewSettings DEFAULTS = new PreviewSettings(1, false);

    public PreviewSettings {
        if (every < 0) {
            throw new IllegalArgumentException("preview_every must be 0 (no preview) or more (got " + every + ")");
        }
    }

    public static PreviewSettings load(Function<String, String> store) {
        int every = DEFAULTS.every();
        String e = store.apply(SuiteSettings.PREFIX + EVERY);
        try {
            if (e != null && !e.isBlank()) {
                every = Math.max(0, Integer.parseInt(e.trim()));
            }
        } catch (NumberFormatException ignored) {
            // not a number: the default
        }
        String k = store.apply(SuiteSettings.PREFIX + KEEP);
        return new PreviewSettings(every, k != null && Boolean.parseBoolean(k.trim()));
    }

    public void save(BiConsumer<String, String> store) {
        store.accept(SuiteSettings.PREFIX + EVERY, Integer.toString(every));
        store.accept(SuiteSettings.PREFIX + KEEP, Boolean.toString(keep));
    }

    /** Whether the preview of step {@code step} (1-based) of {@code total} is shown. */
    public boolean shows(int step, int total) {
        return every > 0 && step < total && step % every == 0;
    }
}
