package org.ijdiffusion.diffusion.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The generation parameters in AUTOMATIC1111's "parameters" text form, which Civitai, A1111's PNG
 * Info and many tools read back:
 * {@code <prompt>\nNegative prompt: <neg>\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, ...}.
 */
public final class Infotext {
    private Infotext() {
    }

    public static String format(GenerationRequest r, long seed, String modelName, String modelHash) {
        StringBuilder s = new StringBuilder(r.prompt());
        if (!r.negativePrompt().isEmpty()) {
            s.append("\nNegative prompt: ").append(r.negativePrompt());
        }
        List<String> kv = new ArrayList<>();
        kv.add("Steps: " + r.steps());
        kv.add("Sampler: " + r.sampler().label());
        kv.add("CFG scale: " + number(r.cfg()));
        kv.add("Seed: " + seed);
        kv.add("Size: " + r.width() + "x" + r.height());
        if (modelHash != null) {
            kv.add("Model hash: " + modelHash);
        }
        if (modelName != null) {
            kv.add("Model: " + modelName);
        }
        if (r.mode() != GenerationMode.TXT2IMG) {
            kv.add("Denoising strength: " + number(r.strength()));
        }
        if (r.clipSkip() > 1) {
            kv.add("Clip skip: " + r.clipSkip());
        }
        if (r.batch() > 1) {
            kv.add("Batch size: " + r.batch());
        }
        for (int i = 0; i < r.controls().size(); i++) {
            kv.add("ControlNet " + i + ": \"" + r.controls().get(i).describe() + "\"");
        }
        s.append('\n').append(String.join(", ", kv));
        return s.toString();
    }

    /** 7 -> "7", 7.5 -> "7.5", 0.75 -> "0.75" (as A1111 prints them). */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String t = String.format(Locale.ROOT, "%.6f", v);
        t = t.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
