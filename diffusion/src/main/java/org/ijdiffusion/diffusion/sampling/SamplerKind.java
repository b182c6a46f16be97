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
    DPMPP_2M_KARRAS("dpmpp_2m_karras", "DPM++ 2M Karras");

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

    /** True if the sampler draws fresh noise at every step. */
    public boolean isAncestral() {
        return this == EULER_A;
    }

    /** Accepts a command-line name or an A1111 label (case-insensitive). */
    public static SamplerKind fromName(String name) {
        return NamedChoice.fromName(SamplerKind.class, name, "sampler");
    }

    /** The sampler implementation (stateless; each call of sample() has its own history). */
    public Sampler sampler() {
        switch (this) {
            case DDIM:
                return new StepLoop(DdimStep::new);
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
