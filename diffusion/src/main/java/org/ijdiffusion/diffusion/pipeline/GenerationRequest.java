package org.ijdiffusion.diffusion.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ijdiffusion.diffusion.sampling.NoiseSchedule;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.Schedule;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;

/** Everything one generation needs. Built with {@link #builder()}; validated by {@link Builder#build()}. */
public final class GenerationRequest {
    public static final int DEFAULT_SIZE = 512;

    private final GenerationMode mode;
    private final String prompt;
    private final String negativePrompt;
    private final int width;
    private final int height;
    private final int steps;
    private final double cfg;
    private final SamplerKind sampler;
    private final TimestepSpacing spacing;
    private final Double eta;
    private final boolean draftDecode;
    private final long seed;
    private final double strength;
    private final int clipSkip;
    private final int batch;
    private final FloatImage init;
    private final FloatImage mask;
    private final List<ControlSource> controls;
    private final MaskedContent maskedContent;
    private final boolean softMask;

    private GenerationRequest(Builder b) {
        this.mode = b.mask != null ? GenerationMode.INPAINT : b.init != null ? GenerationMode.IMG2IMG : GenerationMode.TXT2IMG;
        this.prompt = b.prompt;
        this.negativePrompt = b.negativePrompt;
        this.width = b.width;
        this.height = b.height;
        this.steps = b.steps;
        this.cfg = b.cfg;
        this.sampler = b.sampler;
        this.spacing = b.spacing;
        this.eta = b.eta;
        this.draftDecode = b.draftDecode;
        this.seed = b.seed;
        this.strength = b.strength;
        this.clipSkip = b.clipSkip;
        this.batch = b.batch;
        this.init = b.init;
        this.mask = b.mask;
        this.controls = List.copyOf(b.controls);
        this.maskedContent = b.maskedContent;
        this.softMask = b.softMask;
    }

    public static Builder builder() {
        return new Builder();
    }

    public GenerationMode mode() {
        return mode;
    }

    public String prompt() {
        return prompt;
    }

    public String negativePrompt() {
        return negativePrompt;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int steps() {
        return steps;
    }

    /**
     * Whether sampling runs the unconditional half beside the conditional one (classifier-free
     * guidance): only when cfg &gt; 1, as in diffusers ({@code do_classifier_free_guidance}); at cfg 1 or
     * less each step is one UNet call on the prompt alone and the negative prompt is not encoded.
     */
    public boolean guided() {
        return cfg() > 1.0;
    }

    public double cfg() {
        return cfg;
    }

    public SamplerKind sampler() {
        return sampler;
    }

    /** The timestep spacing (A1111's "Schedule type"). */
    public TimestepSpacing spacing() {
        return spacing;
    }

    /** DDIM's eta / TCD's gamma: the given value or the sampler's default. */
    public double eta() {
        return eta != null ? eta : sampler.defaultEta();
    }

    /** True when an eta was given explicitly. */
    public boolean etaGiven() {
        return eta != null;
    }

    /** The final image decoded with TAESD (a quick draft) instead of the VAE. */
    public boolean draftDecode() {
        return draftDecode;
    }

    /** The denoising schedule of the whole request (all steps; img2img starts part-way into it). */
    public Schedule schedule() {
        return Schedule.of(sampler, spacing, steps, NoiseSchedule.SD15);
    }

    public long seed() {
        return seed;
    }

    /** Denoising strength (img2img/inpaint); 1.0 for txt2img. */
    public double strength() {
        return mode == GenerationMode.TXT2IMG ? 1.0 : strength;
    }

    public int clipSkip() {
        return clipSkip;
    }

    public int batch() {
        return batch;
    }

    public FloatImage init() {
        return init;
    }

    public FloatImage mask() {
        return mask;
    }

    public List<ControlSource> controls() {
        return controls;
    }

    /** Inpainting: what the masked area starts from (A1111 "Masked content"). */
    public MaskedContent maskedContent() {
        return maskedContent;
    }

    /** Inpainting: grey mask levels are per-pixel strengths (see {@code InpaintLatents}), not thresholded at 0.5. */
    public boolean softMask() {
        return softMask;
    }

    /** Message naming the nearest valid sizes when {@code v} is not a positive multiple of 8. */
    static String sizeProblem(String what, int v) {
        if (v >= 8 && v % 8 == 0) {
            return null;
        }
        int down = Math.max(8, v / 8 * 8);
        int up = Math.max(8, (v + 7) / 8 * 8);
        return what + " " + v + " is not a multiple of 8; use " + (down == up ? String.valueOf(up) : down + " or " + up);
    }

    /** Builder with A1111's defaults. */
    public static final class Builder {
        private String prompt = "";
        private String negativePrompt = "";
        private int width = DEFAULT_SIZE;
        private int height = DEFAULT_SIZE;
        private int steps = 20;
        private double cfg = 7.0;
        private SamplerKind sampler = SamplerKind.EULER_A;
        private TimestepSpacing spacing = TimestepSpacing.DEFAULT;
        private Double eta;
        private boolean draftDecode;
        private long seed = 0;
        private double strength = 0.75;
        private int clipSkip = 1;
        private int batch = 1;
        private FloatImage init;
        private FloatImage mask;
        private final List<ControlSource> controls = new ArrayList<>();
        private MaskedContent maskedContent = MaskedContent.ORIGINAL;
        private boolean softMask;

        public Builder prompt(String p) {
            this.prompt = Objects.requireNonNull(p);
            return this;
        }

        public Builder negativePrompt(String p) {
            this.negativePrompt = p == null ? "" : p;
            return this;
        }

        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        public Builder steps(int s) {
            this.steps = s;
            return this;
        }

        public Builder cfg(double c) {
            this.cfg = c;
            return this;
        }

        public Builder sampler(SamplerKind s) {
            this.sampler = Objects.requireNonNull(s);
            return this;
        }

        public Builder spacing(TimestepSpacing s) {
            this.spacing = Objects.requireNonNull(s);
            return this;
        }

        /** DDIM's eta or TCD's gamma in [0, 1]; null = the sampler's default. Other samplers refuse one. */
        public Builder eta(Double e) {
            this.eta = e;
            return this;
        }

        /** Decode the final image with TAESD (the model must have one: {@code SdModel.useTaesd}). */
        public Builder draftDecode(boolean d) {
            this.draftDecode = d;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder strength(double s) {
            this.strength = s;
            return this;
        }

        public Builder clipSkip(int c) {
            this.clipSkip = c;
            return this;
        }

        public Builder batch(int b) {
            this.batch = b;
            return this;
        }

        public Builder init(FloatImage image) {
            this.init = image;
            return this;
        }

        public Builder mask(FloatImage m) {
            this.mask = m;
            return this;
        }

        public Builder maskedContent(MaskedContent c) {
            this.maskedContent = Objects.requireNonNull(c);
            return this;
        }

        public Builder softMask(boolean soft) {
            this.softMask = soft;
            return this;
        }

        /** Removes every control unit added so far. */
        public Builder clearControls() {
            this.controls.clear();
            return this;
        }

        public Builder control(ControlSource c) {
            this.controls.add(Objects.requireNonNull(c));
            return this;
        }

        /** Validates and builds; IllegalArgumentException with a user-facing message on bad values. */
        public GenerationRequest build() {
            List<String> problems = new ArrayList<>();
            String w = sizeProblem("width", width);
            String h = sizeProblem("height", height);
            if (w != null) {
                problems.add(w);
            }
            if (h != null) {
                problems.add(h);
            }
            if (steps < 1 || steps > 1000) {
                problems.add("steps must be between 1 and 1000 (got " + steps + ")");
            }
            if (eta != null && !sampler.usesEta()) {
                problems.add("eta applies to the DDIM and TCD samplers only, not to " + sampler.label());
            } else if (eta != null && !(eta >= 0 && eta <= 1)) {
                problems.add("eta must be between 0 and 1 (got " + eta + ")");
            }
            if (steps >= 1 && steps <= 1000) {
                try {
                    Schedule.of(sampler, spacing, steps, NoiseSchedule.SD15);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            if (!(cfg >= 0 && cfg <= 100)) {
                problems.add("cfg scale must be between 0 and 100 (got " + cfg + ")");
            }
            if (!(strength > 0 && strength <= 1)) {
                problems.add("denoising strength must be in (0, 1] (got " + strength + ")");
            }
            if (clipSkip < 1 || clipSkip > 12) {
                problems.add("clip skip must be between 1 and 12 (got " + clipSkip + ")");
            }
            if (batch < 1 || batch > 64) {
                problems.add("batch must be between 1 and 64 (got " + batch + ")");
            }
            if (mask != null && init == null) {
                problems.add("a mask needs an init image");
            }
            if (init != null && (init.width() != width || init.height() != height)) {
                problems.add("init image is " + init.width() + "x" + init.height() + " but the request is "
                        + width + "x" + height + " (resize it first)");
            }
            if (mask != null && (mask.width() != width || mask.height() != height)) {
                problems.add("mask is " + mask.width() + "x" + mask.height() + " but the image is " + width + "x" + height);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new GenerationRequest(this);
        }
    }
}
