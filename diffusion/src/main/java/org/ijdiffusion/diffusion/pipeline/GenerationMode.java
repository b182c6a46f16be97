package org.ijdiffusion.diffusion.pipeline;

/** What a request asks for. */
public enum GenerationMode {
    TXT2IMG, IMG2IMG, INPAINT
}
