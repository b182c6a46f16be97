package org.ijdiffusion.diffusion.pipeline;

import org.ijdiffusion.diffusion.util.NamedChoice;

/**
 * A1111's "Masked content" for inpainting: what the masked area starts from. {@link #ORIGINAL} and
 * {@link #FILL} are the same to the engine (fill is done in image space before the request is
 * built: the caller pre-fills the init image); the two latent modes change the start latents. They
 * matter only when denoising strength is below 1: at strength 1 the start is pure noise anyway.
 */
public enum MaskedContent implements NamedChoice {
    ORIGINAL("original", "original"),
    FILL("fill", "fill"),
    LATENT_NOISE("latent_noise", "latent noise"),
    LATENT_NOTHING("latent_nothing", "latent nothing");

    private final String cliName;
    private final String label;

    MaskedContent(String cliName, String label) {
        this.cliName = cliName;
        this.label = label;
    }

    @Override
    public String cliName() {
        return cliName;
    }

    /** A1111's infotext value ("Masked content: latent noise"). */
    @Override
    public String label() {
        return label;
    }

    /** A command-line name, an A1111 label or the enum name, case-insensitive. */
    public static MaskedContent fromName(String name) {
        return NamedChoice.fromName(MaskedContent.class, name, "masked content");
    }
}
