package org.ijdiffusion.plugin.ij.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Engine and command-line messages in ImageJ's words: CLI options become the dialog field (macro key) or
 * the settings place, Java class names are dropped. One table, used for every message a command shows.
 * No ImageJ here.
 */
public final class ImageJWords {
    private static final String SETTINGS = "Plugins > Diffusion > Diffusion Settings";
    private static final Map<String, String> PHRASES = new LinkedHashMap<>();

    static {
        PHRASES.put("Use --precision fp32 (Precision: fp32)", "Choose precision fp32 in " + SETTINGS);
        PHRASES.put("(give a separate VAE file with --vae)", "(put a VAE file in the vae folder of " + SETTINGS + ")");
        PHRASES.put("(command line: --embeddings-dir DIR)", "(the embeddings folder of " + SETTINGS + ")");
        PHRASES.put("(--lora-dir DIR)", "(the lora folder of " + SETTINGS + ")");
        PHRASES.put("give it as --control, with an SD1.x model as --model",
                "choose it as control_model, with an SD1.x checkpoint as model");
        PHRASES.put("as --control", "as control_model");
    }

    /** CLI option -> dialog field; anything else named --x loses its dashes. */
    private static final Map<String, String> OPTIONS = Map.of("--model", "model", "--control", "control_model",
            "--cfg", "cfg_scale", "--steps", "steps", "--negative", "negative_prompt", "--strength",
            "denoising_strength", "--sampler", "sampler", "--seed", "seed", "--width", "width", "--height", "height");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9-]*)");
    private static final Pattern CLASS = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_]*(?:Exception|Error))(?::\\s*|\\b)|\\b[A-Z][A-Za-z0-9_]*(?:Exception|Error):\\s*");

    private ImageJWords() {
    }

    public static String translate(String message) {
        if (message == null) {
            return null;
        }
        String m = message;
        for (Map.Entry<String, String> e : PHRASES.entrySet()) {
            m = m.replace(e.getKey(), e.getValue());
        }
        m = m.replace("Plugins > Diffusion > Settings", SETTINGS);
        Matcher o = OPTION.matcher(m);
        StringBuilder b = new StringBuilder();
        while (o.find()) {
            String opt = "--" + o.group(1);
            o.appendReplacement(b, Matcher.quoteReplacement(OPTIONS.getOrDefault(opt, o.group(1).replace('-', '_'))));
        }
        o.appendTail(b);
        m = CLASS.matcher(b.toString()).replaceAll("");
        return m.isBlank() ? message : m.strip();
    }
}
