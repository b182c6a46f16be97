package org.ijdiffusion.diffusion.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;

/**
 * An SD1.x checkpoint as users have it (LDM single file or diffusers folder, optionally with a
 * separate VAE file), exposing each component's weights in the internal vocabulary.
 */
public final class Checkpoint implements AutoCloseable {
    private final Path path;
    private final ModelProbe.Detection detection;
    private final MappedWeights unet;
    private final MappedWeights vae;
    private Path vaeFile;
    private final MappedWeights text;
    private final ModelConfigs configs;
    private final Path hashFile;
    private final List<SafetensorsFile> files;
    private final boolean vaeOverridden;

    private Checkpoint(Path path, ModelProbe.Detection detection, MappedWeights unet, MappedWeights vae,
            MappedWeights text, ModelConfigs configs, Path hashFile, List<SafetensorsFile> files,
            boolean vaeOverridden) {
        this.vaeOverridden = vaeOverridden;
        this.path = path;
        this.detection = detection;
        this.unet = unet;
        this.vae = vae;
        this.text = text;
        this.configs = configs;
        this.hashFile = hashFile;
        this.files = files;
    }

    /**
     * Opens a checkpoint file or diffusers folder; {@code vaeOverrideOrNull} replaces its VAE.
     * Unsupported kinds, pickles and corrupt files give a {@link ModelFileException}.
     */
    public static Checkpoint open(Path modelFileOrFolder, Path vaeOverrideOrNull) {
        ModelProbe.Detection d = ModelProbe.detect(modelFileOrFolder);
        ModelProbe.requireCheckpoint(modelFileOrFolder, d);
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            MappedWeights unet;
            MappedWeights vae;
            MappedWeights text;
            Path hashFile;
            if (Files.isDirectory(modelFileOrFolder)) {
                DiffusersFolder folder = DiffusersFolder.of(modelFileOrFolder);
                if (!folder.isPipeline()) {
                    throw new ModelFileException(modelFileOrFolder + " holds a single diffusers model, not a"
                            + " pipeline (no model_index.json). Give the pipeline folder.");
                }
                hashFile = folder.mainWeights();
                unet = Layouts.diffusersUnet(add(files, SafetensorsFile.open(hashFile)));
                vae = vaeOverrideOrNull != null ? null : Layouts.vae(add(files, SafetensorsFile.open(folder.weights("vae"))));
                text = Layouts.diffusersText(add(files, SafetensorsFile.open(folder.weights("text_encoder"))));
            } else {
                hashFile = modelFileOrFolder;
                SafetensorsFile f = add(files, SafetensorsFile.open(modelFileOrFolder));
                unet = Layouts.ldmUnet(f);
                vae = vaeOverrideOrNull != null ? null : Layouts.vae(f);
                text = Layouts.ldmText(f);
            }
            if (vaeOverrideOrNull != null) {
                vae = openVae(vaeOverrideOrNull, files);
            }
            require(unet, "UNet", modelFileOrFolder);
            require(vae, "VAE", vaeOverrideOrNull != null ? vaeOverrideOrNull : modelFileOrFolder);
            require(text, "text encoder", modelFileOrFolder);
            ModelConfigs configs = ModelConfigs.forCheckpoint(modelFileOrFolder);
            configs.checkSchedule();
            Checkpoint c = new Checkpoint(modelFileOrFolder, d, unet, vae, text, configs, hashFile, files,
                    vaeOverrideOrNull != null);
            c.vaeFile = vaeOverrideOrNull;
            return c;
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static MappedWeights openVae(Path vaeFile, List<SafetensorsFile> files) {
        if (Files.isDirectory(vaeFile)) {
            return Layouts.vae(add(files, SafetensorsFile.open(DiffusersFolder.of(vaeFile).mainWeights())));
        }
        ModelProbe.refusePickle(vaeFile);
        return Layouts.vae(add(files, SafetensorsFile.open(vaeFile)));
    }

    private static SafetensorsFile add(List<SafetensorsFile> files, SafetensorsFile f) {
        files.add(f);
        return f;
    }

    private static void require(MappedWeights w, String what, Path where) {
        if (w.names().isEmpty()) {
            throw new ModelFileException(where + " has no " + what + " weights: it is not a complete SD1.x checkpoint"
                    + (what.equals("VAE") ? " (give a separate VAE file with --vae)." : "."));
        }
    }

    public ModelKind kind() {
        return detection.kind();
    }

    /** What the probe saw, e.g. "LDM single file, 4 input channels". */
    public String detail() {
        return detection.detail();
    }

    public WeightSource unet() {
        return unet;
    }

    public WeightSource vae() {
        return vae;
    }

    public WeightSource textEncoder() {
        return text;
    }

    /** Attention heads of the text encoder from a diffusers config.json, else null. */
    public Integer textHeads() {
        return configs.textHeads();
    }

    /** The config files that came with the model (diffusers config.json files or the yaml beside the file). */
    public ModelConfigs configs() {
        return configs;
    }

    /** The UNet's heads and where they come from (config, yaml, or SD1's convention, said so). */
    public ModelConfigs.Heads unetHeads() {
        return configs.unetHeads();
    }

    /**
     * The UNet's architecture: sizes read from its weights, heads from the model's config (or SD1's 8
     * when there is none), every number the config states checked against the weights.
     */
    public UnetConfig unetConfig() {
        return configs.unet(unet);
    }

    /** The VAE's architecture, read from its weights (and checked against the model's own VAE config). */
    public VaeConfig vaeConfig() {
        VaeConfig v = VaeConfig.fromWeights(vae);
        if (!vaeOverridden) {
            configs.checkVae(v);
        }
        return v;
    }

    /** The text encoder's sizes, read from its weights; heads from {@link #textHeads()} when known. */
    public ClipTextConfig textConfig() {
        ClipTextConfig t = ClipTextConfig.fromWeights(text, textHeads());
        configs.checkText(t);
        return t;
    }

    /** The separate VAE file or folder this checkpoint was opened with, or null (its own VAE). */
    public Path vaeOverride() {
        return vaeFile;
    }

    /**
     * A1111's "VAE hash" of the separate VAE (first 10 hex of the SHA-256; for a folder, of its weights
     * file), or null without one.
     */
    public String vaeShortHash() {
        if (vaeFile == null) {
            return null;
        }
        return ModelHash.shortHash(Files.isDirectory(vaeFile) ? DiffusersFolder.of(vaeFile).mainWeights() : vaeFile);
    }

    /** File name without extension, or the folder name. */
    public String name() {
        return baseName(path);
    }

    static String baseName(Path p) {
        String n = p.toAbsolutePath().normalize().getFileName().toString();
        int dot = n.lastIndexOf('.');
        return Files.isDirectory(p) || dot <= 0 ? n : n.substring(0, dot);
    }

    /** A1111's "Model hash" (first 10 hex of the SHA-256; for a folder, of the UNet file). */
    public String shortHash() {
        return ModelHash.shortHash(hashFile);
    }

    /** The file or folder this checkpoint was opened from. */
    public Path path() {
        return path;
    }

    /** The opened weight files (for dtype counts and metadata). */
    public List<SafetensorsFile> files() {
        return List.copyOf(files);
    }

    /** What each component's config requires, by label ("unet", "vae", "text"). */
    private Map<String, Map<String, long[]>> expected() {
        Map<String, Map<String, long[]>> m = new LinkedHashMap<>();
        m.put("unet", ExpectedKeys.unet(unetConfig(), false));
        m.put("vae", ExpectedKeys.vae(vaeConfig()));
        m.put("text", ExpectedKeys.text(textConfig()));
        return m;
    }

    private Map<String, WeightSource> components() {
        Map<String, WeightSource> m = new LinkedHashMap<>();
        m.put("unet", unet);
        m.put("vae", vae);
        m.put("text", text);
        return m;
    }

    /**
     * Keys the probed architecture needs but the weights lack, as {@code "unet: name"},
     * {@code "vae: name"}, {@code "text: name"} (internal names).
     */
    public List<String> missingKeys() {
        return KeyReport.missing(expected(), components());
    }

    /**
     * Tensors nothing will use: file tensors outside every component (EMA copies, ...) by file name,
     * then component tensors the architecture does not need ({@code "text: ...position_ids"}).
     */
    public List<String> unusedKeys() {
        List<String> out = unused(files, List.of(unet, vae, text));
        out.addAll(KeyReport.extra(expected(), components()));
        return out;
    }

    /** Tensors whose shape differs from what the probed architecture needs. */
    public List<String> shapeMismatches() {
        return KeyReport.mismatched(expected(), components());
    }

    /**
     * Checks the whole header against the probed architecture ({@link CheckpointValidation}): what
     * loading requires and what {@code inspect} calls valid. Throws a {@link ModelFileException} naming
     * the first problem.
     */
    public void validate() {
        CheckpointValidation.require(path, expected(), mapped());
    }

    /**
     * Every problem {@link #validate} would report, and weights holding NaN or infinity, which loading
     * refuses when it reads them (empty when the checkpoint is usable).
     */
    public List<String> problems() {
        return CheckpointValidation.problemsWithValues(expected(), mapped());
    }

    /**
     * Bytes the weights take once loaded: the UNet as stored (F16 stays F16, layers upcast at use; float32
     * when {@code unetFloat32}, as with merged LoRAs), the VAE and text encoder as float32.
     */
    public long loadedWeightBytes(boolean unetFloat32) {
        return bytes(unet, unetFloat32) + bytes(vae, true) + bytes(text, true);
    }

    static long bytes(MappedWeights w, boolean float32) {
        long n = 0;
        for (MappedWeights.Target t : w.targets().values()) {
            org.ijdiffusion.diffusion.io.TensorInfo info = w.file().info(t.fileName());
            int size = float32 || info.dtype() != org.ijdiffusion.diffusion.io.DType.F16 ? 4 : 2;
            n += info.elementCount() * size;
        }
        return n;
    }

    private Map<String, MappedWeights> mapped() {
        Map<String, MappedWeights> m = new LinkedHashMap<>();
        m.put("unet", unet);
        m.put("vae", vae);
        m.put("text", text);
        return m;
    }

    static List<String> unused(List<SafetensorsFile> files, List<MappedWeights> sources) {
        List<String> out = new ArrayList<>();
        for (SafetensorsFile f : files) {
            Set<String> used = new HashSet<>();
            for (MappedWeights w : sources) {
                if (w.file() == f) {
                    w.targets().values().forEach(t -> used.add(t.fileName()));
                }
            }
            for (String n : f.names()) {
                if (!used.contains(n)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
