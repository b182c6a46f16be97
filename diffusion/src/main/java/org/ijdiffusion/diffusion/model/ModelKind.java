package org.ijdiffusion.diffusion.model;

/** What a model file holds, as read from its tensor names and shapes (never from its file name). */
public enum ModelKind {
    SD1("SD1.x", true),
    SD1_INPAINT("SD1.x inpainting", true),
    CONTROLNET_SD1("ControlNet for SD1.x", true),
    SD2("SD2.x", false),
    SDXL("SDXL", false),
    LORA("LoRA", false),
    VAE_ONLY("VAE only", false),
    UNKNOWN("not a Stable Diffusion checkpoint", false);

    private final String display;
    private final boolean supported;

    ModelKind(String display, boolean supported) {
        this.display = display;
        this.supported = supported;
    }

    /** Human name, e.g. "SD1.x inpainting". */
    public String display() {
        return display;
    }

    public boolean supported() {
        return supported;
    }

    public boolean isControlNet() {
        return this == CONTROLNET_SD1;
    }

    /** The user-facing refusal for a kind this project cannot run. */
    public String notSupportedMessage() {
        return "not supported yet: " + display
                + "; supported: SD1.x, SD1.x inpainting (and ControlNet for SD1.x as --control)";
    }
}
