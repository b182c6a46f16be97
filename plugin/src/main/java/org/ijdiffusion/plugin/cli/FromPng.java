package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.diffusion.pipeline.SamplerInfotext;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.plugin.io.PngFiles;

/**
 * {@code generate --from-png FILE}: an A1111 PNG's parameters as the defaults of the command line (its
 * own options win). What cannot be replayed from the text alone (the model file, a ControlNet unit's
 * files, the init image of img2img, GPU noise, A1111 features this engine lacks) is said in a warning line
 * naming it; nothing is dropped silently.
 */
final class FromPng {
    /** Keys that set an option, or that only describe the run (hashes, version). */
    private static final Set<String> KNOWN = Set.of("Steps", "Sampler", "Schedule type", "CFG scale", "Seed", "Size",
            "Model hash", "Model", "VAE hash", "VAE", "Denoising strength", "Clip skip", "RNG", "Batch size",
            "Lora hashes", "TI hashes", "Version", "Precision", "Decoder");

    private FromPng() {
    }

    /** The PNG's parameters; a usage error when it has none. */
    static InfotextReader.Parameters read(Path png) {
        if (!Files.isRegularFile(png)) {
            throw new UsageException("--from-png " + png + ": no such file");
        }
        String text;
        try {
            text = PngFiles.readParameters(png);
        } catch (IOException e) {
            throw new UsageException("--from-png " + png + ": not a readable PNG (" + e.getMessage() + ")");
        }
        if (text == null || text.isBlank()) {
            throw new UsageException("--from-png " + png + " has no A1111 'parameters' text");
        }
        return InfotextReader.parse(text);
    }

    /** The option values the PNG gives (names without dashes); warnings on {@code err}. */
    static Map<String, String> options(InfotextReader.Parameters p, Args given, PrintStream err) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("prompt", p.prompt());
        o.put("negative", p.negativePrompt());
        copy(p, "Steps", o, "steps");
        copy(p, "CFG scale", o, "cfg");
        copy(p, "Seed", o, "seed");
        copy(p, "Clip skip", o, "clip-skip");
        copy(p, "Precision", o, "precision"); // bf16 is refused by name where the CPU lacks it
        if (p.has("Sampler")) {
            try {
                SamplerKind k = SamplerInfotext.read(p.get("Sampler"), p.get("Schedule type"));
                o.put("sampler", k.cliName());
                o.put("schedule", SamplerInfotext.spacing(p.get("Schedule type")).cliName());
            } catch (IllegalArgumentException e) {
                if (!given.has("sampler")) {
                    throw new UsageException("--from-png: " + e.getMessage() + "; choose one with --sampler");
                }
            }
        }
        if (p.has("Size")) {
            int[] wh = Args.size("from-png Size", p.get("Size"));
            o.put("width", Integer.toString(wh[0]));
            o.put("height", Integer.toString(wh[1]));
        }
        if (p.has("Denoising strength")) {
            if (given.has("init") || given.has("mask")) {
                o.put("strength", p.get("Denoising strength"));
            } else {
                err.println("warning: the PNG was made from an image (Denoising strength: " + p.get("Denoising strength")
                        + "): give --init IMAGE (and --mask for inpainting) to replay it; generating from noise");
            }
        }
        String rng = p.get("RNG");
        if (rng == null) {
            err.println("warning: the PNG names no RNG, so A1111 drew its noise on the GPU; this engine draws CPU"
                    + " noise (A1111's RNG: CPU): same settings, different picture");
        } else if (!rng.trim().equalsIgnoreCase("CPU")) {
            err.println("warning: the PNG's RNG is " + rng + "; this engine draws CPU noise: same settings, different picture");
        }
        if (p.has("Decoder") && !given.has("vae-decoder")) {
            String d = p.get("Decoder").trim();
            if (!d.equalsIgnoreCase(org.ijdiffusion.diffusion.pipeline.Infotext.DRAFT_DECODER)) {
                err.println("warning: the PNG's Decoder: " + d + " is not one this engine has; decoding with the VAE");
            } else if (given.has("taesd")) {
                o.put("vae-decoder", "taesd");
            } else {
                err.println("warning: the PNG is a TAESD draft (Decoder: TAESD): give --taesd FILE to replay it;"
                        + " decoding with the VAE");
            }
        }
        if (p.has("VAE") && !given.has("vae")) {
            err.println("warning: the PNG used the VAE " + p.get("VAE") + (p.has("VAE hash") ? " [" + p.get("VAE hash") + "]" : "")
                    + ": give it with --vae FILE");
        }
        List<String> ignored = new ArrayList<>();
        for (String k : p.values().keySet()) {
            if (k.matches("ControlNet \\d+")) {
                if (!given.has("control")) {
                    err.println("warning: the PNG used " + k + " (" + p.get(k) + "): give --control MODEL --control-image"
                            + " IMAGE with its settings to replay it");
                }
            } else if (!KNOWN.contains(k)) {
                ignored.add(k + ": " + p.get(k));
            }
        }
        if (!ignored.isEmpty()) {
            err.println("warning: not replayed from the PNG (not options of this command): " + String.join(", ", ignored));
        }
        return o;
    }

    /** After loading: a warning when the model is not the one the PNG names. */
    static void checkModel(InfotextReader.Parameters p, String name, String hash, PrintStream err) {
        String want = p.get("Model hash");
        if (want != null && hash != null && !want.trim().toLowerCase(Locale.ROOT).equals(hash.toLowerCase(Locale.ROOT))) {
            err.println("warning: the PNG was made with the model " + p.get("Model") + " [" + want + "], this is " + name
                    + " [" + hash + "]: the picture will differ");
        }
    }

    private static void copy(InfotextReader.Parameters p, String key, Map<String, String> o, String option) {
        if (p.has(key)) {
            o.put(option, p.get(key).trim());
        }
    }
}
