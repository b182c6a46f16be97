package org.ijdiffusion.diffusion.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * A diffusers folder: a pipeline ({@code model_index.json} with {@code unet/}, {@code vae/},
 * {@code text_encoder/}) or a single model ({@code config.json} + weights, e.g. a ControlNet).
 * Weight files are {@code diffusion_pytorch_model.safetensors} / {@code model.safetensors}, or their
 * {@code .fp16.safetensors} variants.
 */
public final class DiffusersFolder {
    private static final List<String> WEIGHTS = List.of("diffusion_pytorch_model.safetensors", "model.safetensors",
            "diffusion_pytorch_model.fp16.safetensors", "model.fp16.safetensors");
    private static final List<String> PICKLES = List.of("diffusion_pytorch_model.bin", "pytorch_model.bin",
            "diffusion_pytorch_model.fp16.bin", "pytorch_model.fp16.bin");

    private final Path folder;
    private final boolean pipeline;

    private DiffusersFolder(Path folder, boolean pipeline) {
        this.folder = folder;
        this.pipeline = pipeline;
    }

    public static DiffusersFolder of(Path folder) {
        if (Files.isRegularFile(folder.resolve("model_index.json"))) {
            return new DiffusersFolder(folder, true);
        }
        if (Files.isRegularFile(folder.resolve("config.json"))) {
            return new DiffusersFolder(folder, false);
        }
        throw new ModelFileException(folder + " is a folder but not a diffusers model folder (no model_index.json"
                + " or config.json). Give a .safetensors file or a diffusers folder.");
    }

    public Path folder() {
        return folder;
    }

    /** A whole pipeline (model_index.json) rather than one model. */
    public boolean isPipeline() {
        return pipeline;
    }

    /** The UNet weights of a pipeline, or the weights of a single-model folder. */
    public Path mainWeights() {
        return pipeline ? weights("unet") : weights(null);
    }

    /** The weight file in {@code sub} (null: the folder itself); pickles are refused. */
    public Path weights(String sub) {
        Path dir = sub == null ? folder : folder.resolve(sub);
        for (String w : WEIGHTS) {
            if (Files.isRegularFile(dir.resolve(w))) {
                return dir.resolve(w);
            }
        }
        for (String p : PICKLES) {
            if (Files.isRegularFile(dir.resolve(p))) {
                ModelProbe.refusePickle(dir.resolve(p));
            }
        }
        throw new ModelFileException("No weights in " + dir + " (looked for " + String.join(", ", WEIGHTS)
                + "). The diffusers folder is incomplete.");
    }

    /** The config.json of {@code sub} (null: the folder itself), or null when absent. */
    public Path config(String sub) {
        Path c = (sub == null ? folder : folder.resolve(sub)).resolve("config.json");
        return Files.isRegularFile(c) ? c : null;
    }
}
