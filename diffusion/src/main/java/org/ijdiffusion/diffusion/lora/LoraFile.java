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
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.ModelProbe;

/**
 * A LoRA file ({@code .safetensors}) of any of the kinds A1111's built-in Lora extension merges: kohya
 * LoRA / LoCon ({@code lora_down}/{@code lora_up}, optional {@code alpha}), CP/Tucker LoCon
 * ({@code lora_mid}), LyCORIS LoHa ({@code hada_*}), LoKr ({@code lokr_*}), IA3 ({@code weight} +
 * {@code on_input}), full weight differences ({@code diff}, {@code diff_b}), each optionally with DoRA's
 * {@code dora_scale} and a {@code scale}; module names in kohya style or PEFT/diffusers style
 * ({@link LoraKeyNames}). A tensor whose name fits none of these, or a module whose tensors make no
 * complete kind, refuses the whole file with a message naming it: nothing is merged in part.
 */
public final class LoraFile implements AutoCloseable {
    /** Kohya prefix of UNet modules. */
    public static final String UNET = "lora_unet_";
    /** Kohya prefix of text-encoder modules. */
    public static final String TEXT = "lora_te_";

    /** The kind of one module, from the tensors it has. */
    public enum Kind {
        LORA("LoRA/LoCon"), LORA_CP("LoCon with CP decomposition"), LOHA("LoHa"), LOKR("LoKr"), IA3("IA3"),
        FULL("full weight difference");

        private final String display;

        Kind(String display) {
            this.display = display;
        }

        public String display() {
            return display;
        }
    }

    /** One adapted layer: its kohya name (prefix included), its kind and its tensors by part name. */
    public record Module(String name, Kind kind, Map<String, String> parts) {
        public Module {
            parts = Map.copyOf(parts);
        }

        public boolean isUnet() {
            return name.startsWith(UNET);
        }

        public boolean isText() {
            return name.startsWith(TEXT);
        }

        /** The file tensor holding {@code part} ("lora_down.weight", "hada_w1_a", ...), or null. */
        public String tensor(String part) {
            return parts.get(part);
        }

        public boolean has(String part) {
            return parts.containsKey(part);
        }

        /** Whether the module carries DoRA's magnitude vector. */
        public boolean dora() {
            return has("dora_scale");
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
        Map<String, Map<String, String>> grouped = new LinkedHashMap<>();
        for (String n : f.names()) {
            LoraKeyNames.Key k = LoraKeyNames.parse(n);
            if (k == null) {
                throw new ModelFileException("LoRA " + path + ": tensor '" + n + "' is not a LoRA key ij-diffusion"
                        + " knows (kohya/LyCORIS lora_down/lora_up/lora_mid/alpha/dora_scale, hada_*, lokr_*, IA3"
                        + " weight/on_input, diff/diff_b; PEFT/diffusers lora_A/lora_B, lora.down/lora.up,"
                        + " lora_linear_layer). Nothing of the file was merged.");
            }
            String before = grouped.computeIfAbsent(k.module(), x -> new LinkedHashMap<>()).put(k.part(), n);
            if (before != null) {
                throw new ModelFileException("LoRA " + path + ": '" + before + "' and '" + n + "' both give "
                        + k.part() + " of module " + k.module() + ".");
            }
        }
        Map<String, Module> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : grouped.entrySet()) {
            out.put(e.getKey(), new Module(e.getKey(), kind(path, e.getKey(), e.getValue()), e.getValue()));
        }
        if (out.isEmpty()) {
            throw new ModelFileException(path + " is not a LoRA: it holds no tensors.");
        }
        return Collections.unmodifiableMap(out);
    }

    /** The one kind the module's tensors make, or a refusal naming what is missing or mixed. */
    private static Kind kind(Path path, String module, Map<String, String> parts) {
        Set<String> p = parts.keySet();
        List<Kind> kinds = new ArrayList<>();
        if (p.contains("lora_down.weight") || p.contains("lora_up.weight") || p.contains("lora_mid.weight")) {
            kinds.add(p.contains("lora_mid.weight") ? Kind.LORA_CP : Kind.LORA);
        }
        if (p.stream().anyMatch(x -> x.startsWith("hada_"))) {
            kinds.add(Kind.LOHA);
        }
        if (p.stream().anyMatch(x -> x.startsWith("lokr_"))) {
            kinds.add(Kind.LOKR);
        }
        if (p.contains("weight") || p.contains("on_input")) {
            kinds.add(Kind.IA3);
        }
        if (p.contains("diff") || p.contains("diff_b")) {
            kinds.add(Kind.FULL);
        }
        if (kinds.size() != 1) {
            throw new ModelFileException("LoRA " + path + ": module " + module + " has tensors " + p + ", which "
                    + (kinds.isEmpty() ? "make no module kind" : "mix " + kinds.stream().map(Kind::display).toList())
                    + ". Nothing of the file was merged.");
        }
        Kind k = kinds.get(0);
        List<String> need = switch (k) {
            case LORA -> List.of("lora_down.weight", "lora_up.weight");
            case LORA_CP -> List.of("lora_down.weight", "lora_up.weight", "lora_mid.weight");
            case LOHA -> List.of("hada_w1_a", "hada_w1_b", "hada_w2_a", "hada_w2_b");
            case LOKR -> List.of();
            case IA3 -> List.of("weight", "on_input");
            case FULL -> List.of("diff");
        };
        List<String> missing = new ArrayList<>();
        for (String n : need) {
            if (!p.contains(n)) {
                missing.add(n);
            }
        }
        if (k == Kind.LOKR) {
            for (String w : new String[] {"lokr_w1", "lokr_w2"}) {
                if (!p.contains(w) && !(p.contains(w + "_a") && p.contains(w + "_b"))) {
                    missing.add(w + " (or " + w + "_a + " + w + "_b)");
                }
            }
            if (p.contains("lokr_t2") && p.contains("lokr_w2")) {
                missing.add("lokr_w2_a + lokr_w2_b for lokr_t2 (not lokr_w2)");
            }
        }
        if (k == Kind.LOHA && p.contains("hada_t1") != p.contains("hada_t2")) {
            missing.add(p.contains("hada_t1") ? "hada_t2" : "hada_t1");
        }
        if (!missing.isEmpty()) {
            throw new ModelFileException("LoRA " + path + ": " + k.display() + " module " + module + " lacks "
                    + String.join(", ", missing) + "; the file is incomplete. Nothing of it was merged.");
        }
        return k;
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

    /**
     * The module's dimension in A1111's sense (the rank alpha is divided by), or 0 when its kind has
     * none (IA3, full, LoKr without factored halves).
     */
    public long dim(Module m) {
        switch (m.kind()) {
            case LORA:
            case LORA_CP:
                return shape(m, "lora_down.weight")[0];
            case LOHA:
                return shape(m, "hada_w1_b")[0];
            case LOKR:
                if (m.has("lokr_w2_b")) {
                    return shape(m, "lokr_w2_b")[0];
                }
                return m.has("lokr_w1_b") ? shape(m, "lokr_w1_b")[0] : 0;
            default:
                return 0;
        }
    }

    /**
     * The module's own factor, as A1111's {@code calc_scale}: its {@code scale} tensor when present, else
     * alpha / dim when it has both, else 1 (a module without alpha is not scaled).
     */
    public double scale(Module m) {
        if (m.has("scale")) {
            return file.floats(m.tensor("scale"))[0];
        }
        long dim = dim(m);
        if (m.has("alpha") && dim > 0) {
            return file.floats(m.tensor("alpha"))[0] / dim;
        }
        return 1.0;
    }

    /** The shape of a part of a module as stored. */
    public long[] shape(Module m, String part) {
        return file.info(m.tensor(part)).shape();
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
