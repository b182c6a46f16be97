package org.ijdiffusion.diffusion.hub;

import java.util.Locale;

/**
 * The sub-folder of the models root a catalogue entry goes into, by its catalogue key, with the name
 * that folder has in an A1111 ({@code models/Stable-diffusion}, ...) and in a ComfyUI
 * ({@code models/checkpoints}, ...) models folder. The keys are ComfyUI's folder names.
 */
public enum Folder {
    CHECKPOINTS("checkpoints", "Stable-diffusion", "checkpoints"),
    CONTROLNET("controlnet", "ControlNet", "controlnet"),
    LORAS("loras", "Lora", "loras"),
    VAE("vae", "VAE", "vae"),
    VAE_APPROX("vae_approx", "VAE-approx", "vae_approx"),
    EMBEDDINGS("embeddings", "embeddings", "embeddings"),
    /** Preprocessor networks (depth, pose): the suite's own folder names, see the plugin's ModelKind. */
    PREPROCESSORS("preprocessors", "annotators", "preprocessors");

    private final String key;
    private final String a1111;
    private final String comfy;

    Folder(String key, String a1111, String comfy) {
        this.key = key;
        this.a1111 = a1111;
        this.comfy = comfy;
    }

    public String key() {
        return key;
    }

    /** The folder's name under a models root of the given layout. */
    public String name(Layout layout) {
        return layout == Layout.A1111 ? a1111 : comfy;
    }

    public static Folder fromKey(String key) {
        for (Folder f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new CatalogueException("unknown folder '" + key + "'; valid: " + keys());
    }

    static String keys() {
        StringBuilder b = new StringBuilder();
        for (Folder f : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(f.key);
        }
        return b.toString();
    }

    /** A1111 ({@code models/Stable-diffusion}, {@code models/Lora} ...) or ComfyUI ({@code models/checkpoints} ...). */
    public enum Layout {
        A1111, COMFYUI;

        public static Layout parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "a1111", "webui", "forge" -> A1111;
                case "comfyui", "comfy" -> COMFYUI;
                default -> throw new IllegalArgumentException("unknown models layout '" + s + "'; valid: a1111, comfyui");
            };
        }
    }
}
