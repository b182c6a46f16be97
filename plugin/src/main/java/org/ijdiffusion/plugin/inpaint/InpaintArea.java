package org.ijdiffusion.plugin.inpaint;

import org.ijdiffusion.diffusion.util.NamedChoice;

/** A1111's "Inpaint area". */
public enum InpaintArea implements NamedChoice {
    /** Generate the whole image (at its size rounded to multiples of 8). */
    WHOLE_PICTURE("whole", "Whole picture"),
    /** Generate a padded box around the mask at the working size and paste it back. */
    ONLY_MASKED("masked", "Only masked");

    private final String cliName;
    private final String label;

    InpaintArea(String cliName, String label) {
        this.cliName = cliName;
        this.label = label;
    }

    @Override
    public String cliName() {
        return cliName;
    }

    /** The infotext value ("Inpaint area: Only masked"). */
    @Override
    public String label() {
        return label;
    }

    /** "whole" / "masked" or A1111's label, case-insensitive. */
    public static InpaintArea fromName(String s) {
        return NamedChoice.fromName(InpaintArea.class, s, "inpaint area");
    }
}
