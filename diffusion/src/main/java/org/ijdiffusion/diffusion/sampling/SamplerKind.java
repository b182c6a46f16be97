package org.ijdiffusion.diffusion.sampling;

import org.ijdiffusion.diffusion.util.NamedChoice;

/** The samplers, with their command-line names and the labels A1111 uses. */
public enum SamplerKind implements NamedChoice {
    DDIM("ddim", "DDIM"),
    PNDM("pndm", "PLMS"),
    EULER("euler", "Euler"),
    EULER_A("euler_a", "Euler a"),
    LMS("lms", "LMS"),
    DPMPP_2M("dpmpp_2m", "DPM++ 2M"),
    DPMPP_2M_KARRAS("dpmpp_2m_karras", "DPM++ 2M Karras"),
    /** Latent Consistency Model sampling, for LCM-distilled models and the LCM-LoRA (4-8 steps, cfg 1-2). */
    LCM("lcm", "LCM"),
    /** Trajectory Consistency Distillation sampling (TCD-LoRA); its eta is TCD's gamma. */
    TCD("tcd", "TCD");

    private final String cliName;
    private final String label;

    SamplerKind(String cliName, String label) {
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

    /** True if the sampler draws fresh noise at every step (LCM and TCD: after every step but the last). */
    public boolean isAncestral() {
        return this == EULER_A || this == LCM || this == TCD;
    }

    /** True if {@code --eta} means something to this sampler (DDIM's eta, TCD's gamma). */
    public boolean usesEta() {
        return this == DDIM || this == TCD;
    }

    /** The eta used when none is given: TCD's gamma 0.3 (diffusers' TCD default), 0 for DDIM. */
    public double defaultEta() {
        return this == TCD ? 0.3 : 0.0;
    }

    /** Whether {@code spacing} is available with this sampler (the trailing spacing: not for PLMS, Karras, LCM, TCD). */
    public boolean supports(TimestepSpacing spacing) {
        if (spacing == TimestepSpacing.DEFAULT) {
            return true;
        }
        return this == DDIM || this == EULER || this == EULER_A || this == LMS || this == DPMPP_2M;
    }

    /** Accepts a command-line name or an A1111 label (case-insensitive). */
    public static SamplerKind fromName(String name) {
        return NamedChoice.fromName(SamplerKind.class, name, "sampler");
    }

    /** The sampler implementation (stateless; each call of sample() has its own history). */
    public Sampler sampler() {
        return sampler(defaultEta());
    }

    /** As {@link #sampler()} with {@code eta} (DDIM's eta or TCD's gamma, in [0, 1]; ignored by the others). */
    public Sampler sampler(double eta) {
        switch (this) {
            case DDIM:
                return new StepLoop(s -> new DdimStep(s, eta));
            case LCM:
                return new StepLoop(LcmStep::new);
            case TCD:
                return new StepLoop(s -> new TcdStep(s, eta));
            case PNDM:
                return new StepLoop(PlmsStep::new);
            case EULER:
                return new StepLoop(EulerStep::new);
            case EULER_A:
                return new StepLoop(EulerAncestralStep::new);
            case LMS:
                return new StepLoop(LmsStep::new);
            default:
                return new StepLoop(DpmSolver2MStep::new);
        }
    }
}
