package org.ijdiffusion.diffusion.lora;

import java.util.List;

/**
 * A LoRA merged into a loaded model: what was asked ({@link LoraSpec}), its A1111 hash (12 hex digits),
 * how many of its modules were merged, and its modules that matched no layer of the model (reported to
 * the user, never silently dropped).
 */
public record AppliedLora(LoraSpec spec, String hash, int merged, List<String> unmatched) {
    public AppliedLora {
        unmatched = List.copyOf(unmatched);
    }

    public String name() {
        return spec.name();
    }
}
