package org.ijdiffusion.plugin.ij.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.diffusion.pipeline.SamplerInfotext;
import org.ijdiffusion.diffusion.sampling.SamplerKind;

/**
 * An A1111 PNG's parameters as the values of a generation dialog (A1111's "PNG Info > Send to txt2img"):
 * prompt, negative prompt, steps, sampler + schedule type, DDIM's / TCD's eta, CFG scale, seed, size, clip
 * skip, denoising strength. What the dialog cannot take is returned as lines naming it. No ImageJ here.
 */
public final class PngParameters {
    private static final Set<String> USED = Set.of("Steps", "Sampler", "Schedule type", "CFG scale", "Seed", "Size",
            "Clip skip", "Denoising strength", "Model hash", "Model", "RNG", "Batch size", "Lora hashes", "TI hashes",
            "Version");

    private PngParameters() {
    }

    /** Sets the fields of {@code f} the parameters give; returns notes on what was not taken. */
    public static List<String> preset(ParamForm f, InfotextReader.Parameters p) {
        List<String> notes = new ArrayList<>();
        Set<String> taken = new HashSet<>(USED);
        set(f, "prompt", p.prompt(), notes);
        set(f, "negative_prompt", p.negativePrompt(), notes);
        set(f, "steps", p.get("Steps"), notes);
        set(f, "cfg_scale", p.get("CFG scale"), notes);
        set(f, "seed", p.get("Seed"), notes);
        set(f, "clip_skip", p.get("Clip skip"), notes);
        if (p.has("Sampler")) {
            try {
                SamplerKind sampler = SamplerInfotext.read(p.get("Sampler"), p.get("Schedule type"));
                set(f, "sampler", sampler.label(), notes);
                // A1111 writes DDIM's as "Eta DDIM", TCD's gamma as "Eta" (an "Eta" of an ancestral sampler is not taken)
                String etaKey = sampler == SamplerKind.DDIM ? "Eta DDIM" : "Eta";
                if (sampler.usesEta() && p.has(etaKey) && has(f, "eta")) {
                    set(f, "eta", p.get(etaKey), notes);
                    taken.add(etaKey);
                }
                set(f, "schedule_type", SamplerInfotext.spacing(p.get("Schedule type")).label(), notes);
            } catch (IllegalArgumentException e) {
                notes.add(e.getMessage());
            }
        }
        if (p.has("Size")) {
            String[] wh = p.get("Size").trim().split("x");
            if (wh.length == 2) {
                set(f, "width", wh[0], notes);
                set(f, "height", wh[1], notes);
            }
        }
        if (p.has("Denoising strength")) {
            if (has(f, "denoising_strength")) {
                set(f, "denoising_strength", p.get("Denoising strength"), notes);
            } else {
                notes.add("Denoising strength: " + p.get("Denoising strength") + " (the PNG was made from an image: use"
                        + " Image to Image or Inpaint Selection with this command's values)");
            }
        }
        if (has(f, "batch_size")) {
            f.set("batch_size", "1"); // the PNG is one image: its own seed makes it alone
        }
        if (p.has("Model")) {
            notes.add("the PNG was made with the model " + p.get("Model")
                    + (p.has("Model hash") ? " [" + p.get("Model hash") + "]" : "") + ": choose it as model");
        }
        if (p.has("Decoder")) {
            taken.add("Decoder");
            notes.add("Decoder: " + p.get("Decoder").trim() + " (the PNG's final image was a quick TAESD draft; this command"
                    + " decodes with the VAE, the full picture)");
        }
        String rng = p.get("RNG");
        if (rng == null || !rng.trim().equalsIgnoreCase("CPU")) {
            notes.add("RNG: " + (rng == null ? "GPU (A1111's default)" : rng) + "; this suite draws CPU noise: same settings,"
                    + " different picture");
        }
        List<String> other = new ArrayList<>();
        for (String k : p.values().keySet()) {
            if (!taken.contains(k)) {
                other.add(k + ": " + p.get(k));
            }
        }
        if (!other.isEmpty()) {
            notes.add("not taken (set them by hand, or not available here): " + String.join(", ", other));
        }
        return notes;
    }

    private static void set(ParamForm f, String key, String value, List<String> notes) {
        if (value == null || !has(f, key)) {
            return;
        }
        try {
            f.set(key, value.trim().isEmpty() && !key.contains("prompt") ? null : key.contains("prompt") ? value : value.trim());
        } catch (IllegalArgumentException e) {
            notes.add(e.getMessage());
        }
    }

    private static boolean has(ParamForm f, String key) {
        return f.fields().stream().anyMatch(x -> x.key().equals(key));
    }
}
