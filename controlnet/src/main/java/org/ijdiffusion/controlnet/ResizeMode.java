package org.ijdiffusion.controlnet;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a control image of another size or aspect is brought to the generation size (A1111's names). */
public enum ResizeMode {
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

    public String cliName() {
        return cliName;
    }

    public String label() {
        return label;
    }

    public static ResizeMode fromName(String s) {
        for (ResizeMode m : values()) {
            if (m.cliName.equalsIgnoreCase(s) || m.label.equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown resize mode '" + s + "'; valid: "
                + Arrays.stream(values()).map(ResizeMode::cliName).collect(Collectors.joining(", ")));
    }
}
