package org.ijdiffusion.diffusion.text;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.ModelHash;
import org.ijdiffusion.diffusion.model.ModelProbe;

/**
 * A textual-inversion embedding: {@code vectors} token embeddings of width {@code hidden} that stand
 * for its name in a prompt. Read from {@code .safetensors}: the {@code emb_params} tensor (A1111's
 * export) or the file's single tensor, shaped [n, hidden] (or [hidden] for one vector). Pickle
 * {@code .pt}/{@code .bin} embeddings are refused.
 */
public record TextualInversion(String name, Path file, int vectors, int hidden, float[] data) {
    public TextualInversion {
        if (data.length != vectors * hidden) {
            throw new IllegalArgumentException("embedding data does not match " + vectors + " x " + hidden);
        }
    }

    /** Loads the embedding in {@code file}, known as {@code name} in prompts. */
    public static TextualInversion load(Path file, String name) {
        ModelProbe.refusePickle(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String tensor = pick(file, f);
            long[] s = f.info(tensor).shape();
            if (s.length == 1) {
                s = new long[] {1, s[0]};
            }
            if (s.length != 2 || s[0] < 1) {
                throw new ModelFileException("Embedding " + file + ": tensor '" + tensor + "' has shape "
                        + Arrays.toString(s) + "; a textual-inversion embedding is [vectors, width].");
            }
            return new TextualInversion(name, file, (int) s[0], (int) s[1], f.floats(tensor));
        }
    }

    private static String pick(Path file, SafetensorsFile f) {
        if (f.contains("emb_params")) {
            return "emb_params";
        }
        if (f.contains("clip_l") || f.contains("clip_g")) {
            throw new ModelFileException("Embedding " + file + " is for SDXL (clip_l/clip_g vectors); this model is"
                    + " SD1.x. Use an embedding made for SD1.x.");
        }
        List<String> names = List.copyOf(f.names());
        if (names.size() != 1) {
            throw new ModelFileException("Embedding " + file + " has " + names.size() + " tensors and no 'emb_params';"
                    + " a textual-inversion embedding holds one [vectors, width] tensor.");
        }
        return names.get(0);
    }

    /** Row {@code i} of the embedding. */
    public float[] vector(int i) {
        return Arrays.copyOfRange(data, i * hidden, (i + 1) * hidden);
    }

    /** A1111's "TI hashes" value: first 12 hex digits of the file's SHA-256. */
    public String shortHash() {
        return ModelHash.fullHash(file).substring(0, 12);
    }
}
