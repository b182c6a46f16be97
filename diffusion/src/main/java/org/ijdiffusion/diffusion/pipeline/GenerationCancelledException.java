package org.ijdiffusion.diffusion.pipeline;

import java.util.concurrent.CancellationException;

/** The user cancelled; nothing was produced. */
public class GenerationCancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    public GenerationCancelledException(int step, int total) {
        super("Cancelled after step " + step + " of " + total + "; nothing was written.");
    }
}
