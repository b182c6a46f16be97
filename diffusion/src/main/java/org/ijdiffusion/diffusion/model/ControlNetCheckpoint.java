package org.ijdiffusion.diffusion.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;

/**
 * A ControlNet for SD1.x (lllyasviel {@code control_model.*} file, diffusers file or folder), its
 * weights named like LDM without {@code control_model.}: {@code input_hint_block.0.weight},
 * {@code zero_convs.0.0.weight}, {@code input_blocks.*}, {@code middle_block.*},
 * {@code middle_block_out.0.*}, {@code time_embed.*}.
 */
public final class ControlNetCheckpoint implements AutoCloseable {
    private final Path path;
    private final ModelProbe.Detection detection;
    private final SafetensorsFile file;
    private final MappedWeights weights;
    private final ModelConfigs configs;

    private ControlNetCheckpoint(Path path, ModelProbe.Detection detection, SafetensorsFile file, MappedWeights weights) {
        this.configs = ModelConfigs.forControlNet(path);
        this.path = path;
        this.detection = detection;
        this.file = file;
        this.weights = weights;
    }

    public static ControlNetCheckpoint open(Path fileOrFolder) {
        ModelProbe.Detection d = ModelProbe.detect(fileOrFolder);
        if (d.kind() != ModelKind.CONTROLNET_SD1) {
            String what = d.kind().supported() ? "a " + d.kind().display() + " checkpoint (give it as --model)"
                    : d.kind().display();
            throw new ModelFileException(fileOrFolder + " is not a ControlNet for SD1.x: it is " + what + ".");
        }
        Path weightsFile = Files.isDirectory(fileOrFolder) ? DiffusersFolder.of(fileOrFolder).mainWeights() : fileOrFolder;
        SafetensorsFile f = SafetensorsFile.open(weightsFile);
        try {
            MappedWeights w = Layouts.controlNet(f);
            if (!w.has("input_hint_block.0.weight")) {
                throw new ModelFileException(fileOrFolder + " lacks the hint embedding (input_hint_block.0.weight).");
            }
            return new ControlNetCheckpoint(fileOrFolder, d, f, w);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public ModelKind kind() {
        return detection.kind();
    }

    public WeightSource weights() {
        return weights;
    }

    /** Channels of the control image the hint embedding takes (3 for RGB hints). */
    public int hintChannels() {
        return (int) weights.requireShape("input_hint_block.0.weight", 4, "a ControlNet")[1];
    }

    /** The ControlNet's heads and where they come from (config.json, cldm yaml, or SD1's convention). */
    public ModelConfigs.Heads heads() {
        return configs.unetHeads();
    }

    /**
     * The encoder's architecture (no output channels): sizes from the weights, heads from the
     * ControlNet's config.json or cldm yaml (SD1's 8 when there is none), checked against both.
     */
    public UnetConfig config() {
        return configs.unet(weights);
    }

    public String name() {
        return Checkpoint.baseName(path);
    }

    public String shortHash() {
        return ModelHash.shortHash(file.path());
    }

    /** {@code name [hash]} as sd-webui-controlnet lists the model and writes it in the infotext (legacy 8-digit hash). */
    public String infotextName() {
        return name() + " [" + ModelHash.legacyHash(file.path()) + "]";
    }

    public Path path() {
        return path;
    }

    public List<SafetensorsFile> files() {
        return List.of(file);
    }

    private Map<String, Map<String, long[]>> expected() {
        return Map.of("controlnet", ExpectedKeys.unet(config(), true));
    }

    private Map<String, WeightSource> components() {
        return Map.of("controlnet", weights);
    }

    /** Keys the probed architecture needs but the file lacks (internal names). */
    public List<String> missingKeys() {
        return KeyReport.missing(expected(), components());
    }

    /** File tensors outside the ControlNet, and ControlNet tensors the architecture does not need. */
    public List<String> unusedKeys() {
        List<String> out = Checkpoint.unused(List.of(file), List.of(weights));
        for (String k : KeyReport.extra(expected(), components())) {
            if (!k.startsWith("controlnet: input_hint_block.")) {
                out.add(k);
            }
        }
        return out;
    }

    /** Tensors whose shape differs from what the probed architecture needs. */
    public List<String> shapeMismatches() {
        return KeyReport.mismatched(expected(), components());
    }

    /** Bytes the weights take once loaded (float32). */
    public long loadedWeightBytes() {
        return Checkpoint.bytes(weights, true);
    }

    /** The shared header check ({@link CheckpointValidation}); a {@link ModelFileException} names the first problem. */
    public void validate() {
        CheckpointValidation.require(path, expected(), Map.of("controlnet", weights));
    }

    /** Every problem {@link #validate} would report, and weights holding NaN or infinity (empty when usable). */
    public List<String> problems() {
        return CheckpointValidation.problemsWithValues(expected(), Map.of("controlnet", weights));
    }

    @Override
    public void close() {
        file.close();
    }
}
