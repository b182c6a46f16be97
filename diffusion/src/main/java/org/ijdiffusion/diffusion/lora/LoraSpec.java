package org.ijdiffusion.diffusion.lora;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A LoRA to apply: its file, the name it is known by (the prompt's {@code <lora:name:..>}, the infotext),
 * and its multipliers on the UNet and on the text encoder.
 */
public record LoraSpec(Path file, String name, double unetWeight, double textWeight) {
    public LoraSpec {
        Objects.requireNonNull(file);
        Objects.requireNonNull(name);
        if (!Double.isFinite(unetWeight) || !Double.isFinite(textWeight)) {
            throw new IllegalArgumentException("LoRA " + name + ": multipliers must be finite numbers");
        }
    }

    /** The same multiplier on both, named after the file. */
    public static LoraSpec of(Path file, double weight) {
        return new LoraSpec(file, LoraFile.nameOf(file), weight, weight);
    }
}
