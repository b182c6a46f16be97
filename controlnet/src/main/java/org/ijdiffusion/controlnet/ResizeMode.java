package org.ijdiffusion.controlnet;

import org.ijdiffusion.diffusion.util.NamedChoice;

/** How a control image of another size or aspect is brought to the generation size (A1111's names). */
public enum ResizeMode implements NamedChoice {
    /** Stretch to the target size. */
    JUST_RESIZE("just_resize", "Just Resize"),
    /** Scale to cover the target, centre crop (the default). */
    CROP_AND_RESIZE("crop_and_resize", "Crop and Resize"),
    /** Scale to fit inside the target, pad the rest with the median colour of the image border. */
    RESIZE_AND_FILL("resize_and_fill", "Resize and Fill");

    private final String cliName;
    private final String label;

    ResizeMode(String cliName, String label) {
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

    public static ResizeMode fromName(String s) {
        return NamedChoice.fromName(ResizeMode.class, s, "resize mode");
    }
}
