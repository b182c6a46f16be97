package org.ijdiffusion.plugin.ij.core;

import java.util.List;

/**
 * The kinds of model file the suite looks for, with the settings key, the file endings and the sub-folders
 * an A1111 ({@code models/Stable-diffusion}, ...) or ComfyUI ({@code models/checkpoints}, ...) models
 * folder keeps them in.
 */
public enum ModelKind {
    CHECKPOINT("checkpoints", "checkpoint", List.of(".safetensors"), List.of("Stable-diffusion", "checkpoints")),
    VAE("vae", "VAE", List.of(".safetensors"), List.of("VAE", "vae")),
    CONTROLNET("controlnet", "ControlNet model", List.of(".safetensors"), List.of("ControlNet", "controlnet")),
    LORA("lora", "LoRA", List.of(".safetensors"), List.of("Lora", "loras")),
    PREPROCESSOR("preprocessors", "preprocessor model", List.of(".onnx", ".pb", ".caffemodel"),
            List.of("annotators", "preprocessors")),
    /** TAESD for live previews: {@code taesd_decoder.safetensors} (A1111 VAE-approx, ComfyUI vae_approx). */
    TAESD("taesd", "TAESD preview decoder", List.of(".safetensors"), List.of("VAE-approx", "vae_approx")),
    /** Textual inversions: ComfyUI keeps them in {@code models/embeddings}, A1111 beside {@code models/}. */
    EMBEDDING("embeddings", "embedding", List.of(".safetensors", ".pt", ".bin"), List.of("embeddings", "../embeddings"));

    private final String key;
    private final String what;
    private final List<String> endings;
    private final List<String> subfolders;

    ModelKind(String key, String what, List<String> endings, List<String> subfolders) {
        this.key = key;
        this.what = what;
        this.endings = endings;
        this.subfolders = subfolders;
    }

    /** The settings key (and macro key of the Settings dialog). */
    public String key() {
        return key;
    }

    /** For messages: "checkpoint", "ControlNet model" ... */
    public String what() {
        return what;
    }

    public List<String> endings() {
        return endings;
    }

    /** Sub-folders of an A1111 / ComfyUI {@code models} folder. */
    public List<String> subfolders() {
        return subfolders;
    }
}
