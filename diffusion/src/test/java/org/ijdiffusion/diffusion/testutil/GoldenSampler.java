package org.ijdiffusion.diffusion.testutil;

import com.google.gson.JsonObject;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;

/**
 * A golden job's sampler as our options: the fixtures name the trailing-spacing jobs
 * {@code <sampler>_trailing} (= {@code --sampler <sampler> --schedule trailing}) and give TCD's gamma
 * and DDIM's eta as {@code eta}.
 */
public record GoldenSampler(SamplerKind kind, TimestepSpacing spacing, Double eta) {
    public static GoldenSampler of(JsonObject job) {
        String name = job.get("sampler").getAsString();
        TimestepSpacing spacing = TimestepSpacing.DEFAULT;
        if (name.endsWith("_trailing")) {
            name = name.substring(0, name.length() - "_trailing".length());
            spacing = TimestepSpacing.TRAILING;
        }
        Double eta = job.has("eta") && !job.get("eta").isJsonNull() ? job.get("eta").getAsDouble() : null;
        return new GoldenSampler(SamplerKind.fromName(name), spacing, eta);
    }

    /** The eta the sampler runs with. */
    public double effectiveEta() {
        return eta != null ? eta : kind.defaultEta();
    }
}
