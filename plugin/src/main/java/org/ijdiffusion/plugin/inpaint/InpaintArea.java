package org.ijdiffusion.plugin.inpaint;

import java.util.Locale;

/** A1111's "Inpaint area". */
public enum InpaintArea {
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

    public String cliName() {
        return cliName;
    }

    /** The infotext value ("Inpaint area: Only masked"). */
    public String label() {
        return label;
    }

    /** "whole" / "masked" or A1111's label, case-insensitive. */
    public static InpaintArea fromName(String s) {
        String n = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (InpaintArea a : values()) {
            if (a.cliName.equals(n) || a.label.toLowerCase(Locale.ROOT).equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown inpaint area '" + s + "'; valid: whole, masked");
    }
}
