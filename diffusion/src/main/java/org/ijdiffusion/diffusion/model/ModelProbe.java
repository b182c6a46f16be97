package org.ijdiffusion.diffusion.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;

/**
 * Tells what a model file or folder holds from its tensor names and shapes (never its file name),
 * and refuses pickle files before anything reads them.
 */
public final class ModelProbe {
    /** The kind, and a short note on what gave it away. */
    public record Detection(ModelKind kind, String detail) {
    }

    private static final String UNET = "model.diffusion_model.";

    private ModelProbe() {
    }

    /** What {@code fileOrFolder} holds; pickle files are refused with a {@link ModelFileException}. */
    public static Detection detect(Path fileOrFolder) {
        if (Files.isDirectory(fileOrFolder)) {
            DiffusersFolder folder = DiffusersFolder.of(fileOrFolder);
            try (SafetensorsFile f = SafetensorsFile.open(folder.mainWeights())) {
                Detection d = detect(shapes(f));
                if (folder.isPipeline() && Files.isDirectory(fileOrFolder.resolve("text_encoder_2"))) {
                    return new Detection(ModelKind.SDXL, "diffusers folder with text_encoder_2");
                }
                return new Detection(d.kind(), "diffusers folder; " + d.detail());
            }
        }
        refusePickle(fileOrFolder);
        try (SafetensorsFile f = SafetensorsFile.open(fileOrFolder)) {
            return detect(shapes(f));
        }
    }

    /** Every tensor's shape, by name in header order. */
    public static Map<String, long[]> shapes(SafetensorsFile f) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String n : f.names()) {
            m.put(n, f.info(n).shape());
        }
        return m;
    }

    /** The kind of a set of raw (file) tensor names with their shapes. */
    public static Detection detect(Map<String, long[]> s) {
        if (any(s, "lora_unet_") || any(s, "lora_te_") || contains(s, ".lora_down.") || contains(s, ".lora_A.")
                || contains(s, ".lora.down.") || contains(s, ".lora_linear_layer.") || contains(s, "_lora.down.")) {
            return new Detection(ModelKind.LORA, "LoRA keys (lora_unet_*, lora_down)");
        }
        if (any(s, "conditioner.embedders.")) {
            return new Detection(ModelKind.SDXL, "conditioner.embedders.* text encoders");
        }
        if (any(s, "cond_stage_model.model.")) {
            return new Detection(ModelKind.SD2, "OpenCLIP text encoder (cond_stage_model.model.*)");
        }
        if (any(s, "control_model.")) {
            return controlNet(s, "control_model.input_hint_block.0.weight", "control_model.");
        }
        if (any(s, "controlnet_cond_embedding.")) {
            return controlNet(s, "controlnet_cond_embedding.conv_in.weight", "");
        }
        if (s.containsKey(UNET + "input_blocks.0.0.weight")) {
            long[] conv = s.get(UNET + "input_blocks.0.0.weight");
            return conv.length != 4 ? notConv(UNET + "input_blocks.0.0.weight", conv)
                    : unet(s, conv[1], any(s, UNET + "label_emb."), "LDM single file");
        }
        if (s.containsKey("conv_in.weight") && any(s, "down_blocks.")) {
            long[] conv = s.get("conv_in.weight");
            return conv.length != 4 ? notConv("conv_in.weight", conv)
                    : unet(s, conv[1], any(s, "add_embedding."), "diffusers UNet");
        }
        if (any(s, "first_stage_model.") || any(s, "encoder.down.") || any(s, "encoder.down_blocks.")
                || any(s, "decoder.up.") || any(s, "decoder.up_blocks.")) {
            return new Detection(ModelKind.VAE_ONLY, "only VAE weights (encoder/decoder)");
        }
        return new Detection(ModelKind.UNKNOWN, "no Stable Diffusion UNet weights");
    }

    /** The UNet's first convolution weight is not 4-D (flattened, transposed...): nothing can be derived from it. */
    private static Detection notConv(String name, long[] shape) {
        return new Detection(ModelKind.UNKNOWN, "tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                + " where a 4-D convolution weight belongs");
    }

    private static Detection unet(Map<String, long[]> s, long in, boolean sdxlEmbedding, String layout) {
        long context = contextDim(s);
        if (sdxlEmbedding || context == 2048) {
            return new Detection(ModelKind.SDXL, layout + ", context dim " + context);
        }
        if (context == 1024) {
            return new Detection(ModelKind.SD2, layout + ", 1024-dim context");
        }
        if (in == 4) {
            return new Detection(ModelKind.SD1, layout + ", " + in + " input channels");
        }
        if (in == 9) {
            return new Detection(ModelKind.SD1_INPAINT, layout + ", 9 input channels");
        }
        return new Detection(ModelKind.UNKNOWN, "a UNet with " + in + " input channels");
    }

    private static Detection controlNet(Map<String, long[]> s, String hintName, String prefix) {
        if (contextDim(s) == 1024) {
            return new Detection(ModelKind.SD2, "ControlNet for SD2.x (1024-dim context)");
        }
        long[] hint = s.get(hintName);
        String channels = hint == null || hint.length < 2 ? "?" : String.valueOf(hint[1]);
        return new Detection(ModelKind.CONTROLNET_SD1, "hint channels " + channels);
    }

    /** Cross-attention context size from the first {@code attn2.to_k} weight, 0 if none. */
    static long contextDim(Map<String, long[]> s) {
        for (Map.Entry<String, long[]> e : s.entrySet()) {
            if (e.getKey().endsWith(".attn2.to_k.weight") && e.getValue().length == 2) {
                return e.getValue()[1];
            }
        }
        return 0;
    }

    private static boolean any(Map<String, long[]> s, String prefix) {
        for (String n : s.keySet()) {
            if (n.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Map<String, long[]> s, String part) {
        for (String n : s.keySet()) {
            if (n.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Throws when {@code kind} cannot be run as a checkpoint, with the message users see. */
    public static void requireCheckpoint(Path file, Detection d) {
        if (d.kind().isControlNet()) {
            throw new ModelFileException(file + " is a ControlNet (" + d.detail()
                    + "), not a checkpoint: give it as --control, with an SD1.x model as --model.");
        }
        if (d.kind() == ModelKind.UNKNOWN && d.detail().endsWith("where a 4-D convolution weight belongs")) {
            throw new ModelFileException(file + " cannot be used: " + d.detail() + " (a corrupt or wrongly converted file).");
        }
        if (!d.kind().supported()) {
            throw new ModelFileException(file + ": " + d.kind().notSupportedMessage() + " (found " + d.detail() + ").");
        }
    }

    /**
     * Refuses pickle files ({@code .ckpt .pt .pth .bin}, or zip/pickle content under any name):
     * loading a pickle can run arbitrary code.
     */
    public static void refusePickle(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean byName = name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin");
        if (byName || looksLikePickle(file)) {
            throw new ModelFileException(file + " is a pickle file (PyTorch .ckpt/.pt/.pth/.bin). Loading a pickle"
                    + " can run arbitrary code, so ij-diffusion never opens one. Download the .safetensors variant"
                    + " of this model instead, or convert it once to .safetensors in a trusted environment"
                    + " (for example with the safetensors/diffusers conversion scripts) and use that file.");
        }
    }

    /**
     * Zip (torch.save) or pickle magic at the start, where a safetensors file would have its header
     * length: only when that length cannot be one (past the end of the file) is it a pickle.
     */
    private static boolean looksLikePickle(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        byte[] head = new byte[8];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            n = in.readNBytes(head, 0, 8);
        } catch (IOException e) {
            return false;
        }
        boolean zip = n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean pickle = n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
        if (!zip && !pickle) {
            return false;
        }
        if (n < 8) {
            return true;
        }
        long len = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return len < 0 || len > size - 8;
    }
}
