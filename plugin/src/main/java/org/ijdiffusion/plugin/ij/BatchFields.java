package org.ijdiffusion.plugin.ij;

import java.util.Arrays;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.ij.core.Seeds;

/** The sampling fields of Batch... (Image to Image's, without its slice choice; same keys and defaults). */
final class BatchFields {
    private BatchFields() {
    }

    static void sampling(ParamForm f) {
        f.integer("steps", 20, 1, 1000).number("cfg_scale", 7, 0, 100, 1)
                .choice("sampler", Arrays.stream(SamplerKind.values()).map(SamplerKind::label).toList(),
                        SamplerKind.EULER_A.label())
                .integer("seed", -1, -1, Seeds.MAX)
                .choice("schedule_type", Arrays.stream(TimestepSpacing.values()).map(TimestepSpacing::label).toList(),
                        TimestepSpacing.DEFAULT.label())
                .number("eta", -1, -1, 1, 2)
                .number("denoising_strength", 0.75, 0.01, 1, 2)
                .integer("clip_skip", 1, 1, 12);
    }
}
