package org.ijdiffusion.diffusion.sampling;

import org.ijdiffusion.diffusion.util.NamedChoice;

/**
 * How a sampler's timesteps are spread over the training steps. {@link #DEFAULT} is each sampler's own
 * derivation (see {@link Schedule}); {@link #TRAILING} is diffusers' {@code timestep_spacing="trailing"}
 * (the first step at the last training timestep, then every {@code train / steps}), which A1111 and
 * ComfyUI call "SGM Uniform" and which Hyper-SD and SDXL-Lightning style LoRAs are made for.
 */
public enum TimestepSpacing implements NamedChoice {
    DEFAULT("default", "Automatic"),
    TRAILING("trailing", "SGM Uniform");

    private final String cliName;
    private final String label;

    TimestepSpacing(String cliName, String label) {
        this.cliName = cliName;
        this.label = label;
    }

    @Override
    public String cliName() {
        return cliName;
    }

    @Override
    public String label() {
        return label;
    }

    /** Accepts a command-line name or the A1111 label (case-insensitive); {@code sgm_uniform} too. */
    public static TimestepSpacing fromName(String name) {
        if (name != null && name.trim().equalsIgnoreCase("sgm_uniform")) {
            return TRAILING;
        }
        return NamedChoice.fromName(TimestepSpacing.class, name, "schedule");
    }
}
