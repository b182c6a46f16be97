package org.ijdiffusion.plugin.ij;

import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.ParamForm;

/** The sampling fields of Batch... (Image to Image's, without its slice choice; same keys and defaults). */
final class BatchFields {
    private BatchFields() {
    }

    static void sampling(ParamForm f) {
        GenerateForm.clipSkip(GenerateForm.strength(GenerateForm.sampler(f)));
    }
}
