package org.ijdiffusion.diffusion.lora;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.ModelProbe;

/**
 * A kohya-format LoRA file ({@code .safetensors}): per adapted layer a module name such as
 * {@code lora_unet_input_blocks_1_1_proj_in} or {@code lora_te_text_model_encoder_layers_0_mlp_fc1} with
 * {@code .lora_down.weight} [rank, in(, kh, kw)], {@code .lora_up.weight} [out, rank(, 1, 1)] and an
 * optional scalar {@code .alpha} (absent: alpha = rank). LoCon 3x3 convolutions have a [rank, in, 3, 3]
 * down weight. Other LyCORIS kinds (LoHa, LoKr, CP decomposition) are refused with a message.
 */
public final class LoraFile implements AutoCloseable {
    /** Kohya prefix of UNet modules. */
    public static final String UNET = "lora_unet_";
    /** Kohya prefix of text-encoder modules. */
    public static final String TEXT = "lora_te_";

    /** One adapted layer: its kohya name (prefix included) and its tensors in the file. */
    public record Module(String name, String down, String up, String alpha) {
        public boolean isUnet() {
            return name.startsWith(UNET);
        }

        public boolean isText() {
            return name.startsWith(TEXT);
        }
    }

    private final Path path;
    private final SafetensorsFile file;
    private final Map<String, Module> modules;

    private LoraFile(Path path, SafetensorsFile file, Map<String, Module> modules) {
        this.path = path;
        this.file = file;
        this.modules = modules;
    }

    /** Opens and checks a LoRA file; pickles, other LyCORIS kinds and non-LoRA files are refused. */
    public static LoraFile open(Path path) {
        ModelProbe.refusePickle(path);
        SafetensorsFile f = SafetensorsFile.open(path);
        try {
            return new LoraFile(path, f, modules(path, f));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static Map<String, Module> modules(Path path, SafetensorsFile f) {
        Map<String, Module> out = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        for (String n : f.names()) {
            if (n.endsWith(".lora_down.weight")) {
                String m = n.substring(0, n.length() - ".lora_down.weight".length());
                String up = m + ".lora_up.weight";
                if (!f.contains(up)) {
                    throw new ModelFileException("LoRA " + path + ": '" + n + "' has no matching '" + up
                            + "'; the file is incomplete.");
                }
                if (f.contains(m + ".lora_mid.weight")) {
                    unsupported.add(m + " (LoCon with CP decomposition)");
                    continue;
                }
                String alpha = f.contains(m + ".alpha") ? m + ".alpha" : null;
                out.put(m, new Module(m, n, up, alpha));
            } else if (n.contains(".hada_w") || n.contains(".lokr_w")) {
                String kind = n.contains(".hada_w") ? "LoHa" : "LoKr";
                unsupported.add(n.substring(0, n.indexOf('.')) + " (" + kind + ")");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new ModelFileException("LoRA " + path + " holds layers of a kind ij-diffusion cannot merge: "
                    + String.join(", ", unsupported.subList(0, Math.min(3, unsupported.size())))
                    + (unsupported.size() > 3 ? " and " + (unsupported.size() - 3) + " more" : "")
                    + ". Only kohya LoRA/LoCon files (lora_down/lora_up) are supported.");
        }
        if (out.isEmpty()) {
            throw new ModelFileException(path + " is not a kohya-format LoRA: it has no '*.lora_down.weight' /"
                    + " '*.lora_up.weight' tensors (diffusers/PEFT 'lora_A/lora_B' files are not supported).");
        }
        return Collections.unmodifiableMap(out);
    }

    public Path path() {
        return path;
    }

    public SafetensorsFile tensors() {
        return file;
    }

    /** Every module by kohya name, in file order. */
    public Map<String, Module> modules() {
        return modules;
    }

    /** The rank of a module (rows of its down weight). */
    public long rank(Module m) {
        return file.info(m.down()).shape()[0];
    }

    /** The module's alpha; its rank when the file has none. */
    public double alpha(Module m) {
        return m.alpha() == null ? rank(m) : file.floats(m.alpha())[0];
    }

    /** File name without {@code .safetensors}: how prompts name it ({@code <lora:name:w>}). */
    public static String nameOf(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * A1111's LoRA hash (Civitai "AutoV3"): the first 12 hex digits of the SHA-256 of the file after its
     * safetensors header, so editing the metadata does not change it.
     */
    public String shortHash() {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] len = in.readNBytes(8);
            long header = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            in.skipNBytes(header);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
