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

    /**
     * The infotext of a generation with {@code model}, including A1111's {@code Lora hashes} (the LoRAs
     * merged into the model) and {@code TI hashes} (the embeddings the prompts use).
     */
    public static String format(GenerationRequest r, long seed, SdModel model) {
        List<String> extra = new ArrayList<>();
        List<String> loras = model.loras().stream().map(a -> a.name() + ": " + a.hash()).toList();
        if (!loras.isEmpty()) {
            extra.add("Lora hashes: " + quote(String.join(", ", loras)));
        }
        List<String> tis = model.conditioner().embeddingsIn(r.prompt(), r.negativePrompt()).stream()
                .map(e -> e.name() + ": " + e.shortHash()).toList();
        if (!tis.isEmpty()) {
            extra.add("TI hashes: " + quote(String.join(", ", tis)));
        }
        return format(r, seed, model.checkpoint().name(), model.checkpoint().shortHash(), extra);
    }

    public static String format(GenerationRequest r, long seed, String modelName, String modelHash) {
        return format(r, seed, modelName, modelHash, List.of());
    }

    private static String format(GenerationRequest r, long seed, String modelName, String modelHash, List<String> extra) {
        StringBuilder s = new StringBuilder(r.prompt());
        if (!r.negativePrompt().isEmpty()) {
            s.append("\nNegative prompt: ").append(r.negativePrompt());
        }
        List<String> kv = new ArrayList<>();
        kv.add("Steps: " + r.steps());
        kv.add("Sampler: " + r.sampler().label());
        if (r.spacing() != org.ijdiffusion.diffusion.sampling.TimestepSpacing.DEFAULT) {
            kv.add("Schedule type: " + r.spacing().label());
        }
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
        if (r.sampler().usesEta() && r.eta() != r.sampler().defaultEta()) {
            // A1111's keys: "Eta DDIM" for DDIM, "Eta" for the other samplers with an eta
            kv.add((r.sampler() == org.ijdiffusion.diffusion.sampling.SamplerKind.DDIM ? "Eta DDIM: " : "Eta: ")
                    + number(r.eta()));
        }
        if (r.clipSkip() > 1) {
            kv.add("Clip skip: " + r.clipSkip());
        }
        if (r.batch() > 1) {
            kv.add("Batch size: " + r.batch());
        }
        kv.addAll(extra);
        for (int i = 0; i < r.controls().size(); i++) {
            kv.add("ControlNet " + i + ": \"" + r.controls().get(i).describe() + "\"");
        }
        s.append('\n').append(String.join(", ", kv));
        return s.toString();
    }

    /** A value as A1111 writes it: in JSON quotes when it holds a comma, colon or line break. */
    static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf(':') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
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
