package org.ijdiffusion.diffusion.pipeline;

import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;

/**
 * How a request's sampler reads in A1111's infotext (1.9+): the sampler without its schedule, and the
 * {@code Schedule type} apart ({@code DPM++ 2M} + {@code Karras}). The one place that maps samplers and
 * spacings to A1111's names, both ways (writing and reading back a PNG).
 */
public final class SamplerInfotext {
    private SamplerInfotext() {
    }

    /** A1111's {@code Sampler:} value. */
    public static String sampler(GenerationRequest r) {
        return r.sampler() == SamplerKind.DPMPP_2M_KARRAS ? SamplerKind.DPMPP_2M.label() : r.sampler().label();
    }

    /** A1111's {@code Schedule type:} value. */
    public static String scheduleType(GenerationRequest r) {
        if (r.spacing() == TimestepSpacing.TRAILING) {
            return TimestepSpacing.TRAILING.label(); // "SGM Uniform"
        }
        return r.sampler() == SamplerKind.DPMPP_2M_KARRAS ? "Karras" : "Uniform";
    }

    /** The timestep spacing an infotext's {@code Schedule type} names ({@code SGM Uniform}: trailing). */
    public static TimestepSpacing spacing(String scheduleType) {
        return scheduleType != null && scheduleType.trim().equalsIgnoreCase(TimestepSpacing.TRAILING.label())
                ? TimestepSpacing.TRAILING : TimestepSpacing.DEFAULT;
    }

    /**
     * The sampler an infotext names: {@code Sampler} (a label or a legacy one such as {@code DPM++ 2M
     * Karras}) with its {@code Schedule type} (null when absent). Refuses, naming them, combinations this
     * engine does not have.
     */
    public static SamplerKind read(String sampler, String scheduleType) {
        SamplerKind k = SamplerKind.fromName(sampler.trim());
        String type = scheduleType == null ? "" : scheduleType.trim();
        if (type.isEmpty() || type.equalsIgnoreCase("Automatic")) {
            return k;
        }
        if (type.equalsIgnoreCase("Karras")) {
            if (k == SamplerKind.DPMPP_2M || k == SamplerKind.DPMPP_2M_KARRAS) {
                return SamplerKind.DPMPP_2M_KARRAS;
            }
        } else if (type.equalsIgnoreCase("Uniform") && k != SamplerKind.DPMPP_2M_KARRAS) {
            return k;
        } else if (spacing(type) == TimestepSpacing.TRAILING && k.supports(TimestepSpacing.TRAILING)) {
            return k; // the spacing itself: spacing(scheduleType)
        }
        throw new IllegalArgumentException("Sampler '" + sampler + "' with Schedule type '" + scheduleType
                + "' is not available here (samplers: Uniform schedule, DPM++ 2M also with Karras, DDIM, Euler, Euler a, LMS and DPM++ 2M also with SGM Uniform)");
    }
}
