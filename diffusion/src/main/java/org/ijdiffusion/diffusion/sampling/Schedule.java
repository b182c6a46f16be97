package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * The per-step UNet timesteps (and sigmas) of one sampler for one step count, derived as diffusers
 * 0.27 derives them from SD 1.x's scheduler config. Immutable. Step indices given to the accessors
 * are relative to the first step this schedule runs ({@link #startingAt}); {@code sigma(steps())}
 * is the final sigma.
 */
public final class Schedule {
    private final SamplerKind kind;
    private final TimestepSpacing spacing;
    private final int requestedSteps;
    private final float[] timesteps;
    private final float[] sigmas; // length timesteps+1 for sigma samplers, else null
    private final float[] alphasCumprod;
    private final int start;

    private Schedule(SamplerKind kind, TimestepSpacing spacing, int requestedSteps, float[] timesteps, float[] sigmas,
            float[] alphasCumprod, int start) {
        this.kind = kind;
        this.spacing = spacing;
        this.requestedSteps = requestedSteps;
        this.timesteps = timesteps;
        this.sigmas = sigmas;
        this.alphasCumprod = alphasCumprod;
        this.start = start;
    }

    /** The schedule of {@code kind} for {@code steps} denoising steps of a model trained with {@code noise}. */
    public static Schedule of(SamplerKind kind, int steps, NoiseSchedule noise) {
        return of(kind, TimestepSpacing.DEFAULT, steps, noise);
    }

    /** The schedule of {@code kind} with the timestep {@code spacing} (IllegalArgumentException when not supported). */
    public static Schedule of(SamplerKind kind, TimestepSpacing spacing, int steps, NoiseSchedule noise) {
        if (steps < 1 || steps > noise.trainSteps()) {
            throw new IllegalArgumentException("steps must be between 1 and " + noise.trainSteps() + ", got " + steps);
        }
        if (!kind.supports(spacing)) {
            throw new IllegalArgumentException("the " + spacing.label() + " (" + spacing.cliName() + ") schedule is not "
                    + "available with the " + kind.label() + " sampler; it is with DDIM, Euler, Euler a, LMS and DPM++ 2M");
        }
        if (spacing == TimestepSpacing.TRAILING) {
            return trailing(kind, steps, noise);
        }
        float[] ac = noise.alphasCumprod();
        int train = noise.trainSteps();
        if ((kind == SamplerKind.DDIM || kind == SamplerKind.PNDM) && (steps - 1) * (train / steps) + 1 >= train) {
            throw new IllegalArgumentException(kind.label() + " supports at most " + (train - 1) + " steps, got " + steps);
        }
        switch (kind) {
            case DDIM:
                return new Schedule(kind, spacing, steps, toFloats(Spacing.leading(steps, train, 1)), null, ac, 0);
            case LCM:
            case TCD:
                return new Schedule(kind, spacing, steps, toFloats(FewStepSpacing.consistency(kind.label(), steps, train,
                        FewStepSpacing.ORIGINAL_STEPS)), null, ac, 0);
            case PNDM:
                return new Schedule(kind, spacing, steps, plmsTimesteps(Spacing.leading(steps, train, 1)), null, ac, 0);
            case EULER:
            case EULER_A: {
                double[] lin = Spacing.linspace(0, train - 1, steps);
                float[] t = new float[steps];
                for (int i = 0; i < steps; i++) {
                    t[i] = (float) lin[steps - 1 - i]; // diffusers makes these float32 before interpolating
                }
                return new Schedule(kind, spacing, steps, t, interpolatedSigmas(t, noise.sigmas()), ac, 0);
            }
            case LMS: {
                double[] lin = Spacing.linspace(0, train - 1, steps);
                float[] t = new float[steps];
                float[] s = new float[steps + 1];
                float[] trainSigmas = noise.sigmas();
                for (int i = 0; i < steps; i++) {
                    double ti = lin[steps - 1 - i]; // float64 here
                    t[i] = (float) ti;
                    s[i] = (float) Spacing.interp(ti, trainSigmas);
                }
                return new Schedule(kind, spacing, steps, t, s, ac, 0);
            }
            case DPMPP_2M: {
                double[] lin = Spacing.linspace(0, train - 1, steps + 1);
                float[] t = new float[steps];
                for (int i = 0; i < steps; i++) {
                    t[i] = (float) Math.rint(lin[steps - i]);
                }
                return new Schedule(kind, spacing, steps, t, interpolatedSigmas(t, noise.sigmas()), ac, 0);
            }
            case DPMPP_2M_KARRAS: {
                float[] trainSigmas = noise.sigmas();
                float[] logSigmas = Spacing.logs(trainSigmas);
                double[] k = Spacing.karras(trainSigmas[0], trainSigmas[train - 1], steps);
                float[] t = new float[steps];
                float[] s = new float[steps + 1];
                for (int i = 0; i < steps; i++) {
                    t[i] = (float) Math.rint(Spacing.sigmaToT(k[i], logSigmas));
                    s[i] = (float) k[i];
                }
                return new Schedule(kind, spacing, steps, t, s, ac, 0);
            }
            default:
                throw new IllegalStateException("unknown sampler " + kind);
        }
    }

    /** diffusers' "trailing" timesteps; sigmas interpolated at them (float32 for Euler, float64 for LMS). */
    private static Schedule trailing(SamplerKind kind, int steps, NoiseSchedule noise) {
        double[] tt = FewStepSpacing.trailing(steps, noise.trainSteps());
        float[] t = new float[tt.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) tt[i];
        }
        float[] ac = noise.alphasCumprod();
        if (kind == SamplerKind.DDIM) {
            return new Schedule(kind, TimestepSpacing.TRAILING, steps, t, null, ac, 0);
        }
        // Euler, Euler a, LMS, DPM++ 2M: integer timesteps, so float32 and float64 interpolation agree
        return new Schedule(kind, TimestepSpacing.TRAILING, steps, t, interpolatedSigmas(t, noise.sigmas()), ac, 0);
    }

    /** PNDM with skip_prk_steps: the second-to-first timestep is repeated (diffusers' PLMS warm-up). */
    private static float[] plmsTimesteps(int[] descending) {
        int n = descending.length;
        if (n == 1) {
            return new float[] {descending[0]};
        }
        float[] t = new float[n + 1];
        t[0] = descending[0];
        t[1] = descending[1];
        for (int i = 1; i < n; i++) {
            t[i + 1] = descending[i];
        }
        return t;
    }

    private static float[] interpolatedSigmas(float[] t, float[] trainSigmas) {
        float[] s = new float[t.length + 1];
        for (int i = 0; i < t.length; i++) {
            s[i] = (float) Spacing.interp(t[i], trainSigmas);
        }
        return s; // final sigma 0
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    /** The same schedule without its first {@code index} steps (img2img), keeping the absolute step positions. */
    public Schedule startingAt(int index) {
        if (index < 0 || index >= steps()) {
            throw new IllegalArgumentException("start index must be between 0 and " + (steps() - 1) + ", got " + index);
        }
        return new Schedule(kind, spacing, requestedSteps, timesteps, sigmas, alphasCumprod, start + index);
    }

    /**
     * img2img / inpainting at {@code strength} in (0, 1]: skips the first {@code steps - int(steps * strength)}
     * steps of the requested count, as diffusers' pipelines do (strength 1 runs every step).
     */
    public Schedule forStrength(double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int init = Math.min((int) (requestedSteps * strength), requestedSteps);
        if (init == 0) {
            throw new IllegalArgumentException("strength " + strength + " leaves no denoising step out of "
                    + requestedSteps + ": raise the strength or the number of steps");
        }
        return startingAt(requestedSteps - init);
    }

    public SamplerKind kind() {
        return kind;
    }

    public TimestepSpacing spacing() {
        return spacing;
    }

    /** Number of model calls this schedule runs (PNDM: one more than requested, minus skipped steps). */
    public int steps() {
        return timesteps.length - start;
    }

    /** The step count the schedule was made for. */
    public int requestedSteps() {
        return requestedSteps;
    }

    /** Position of relative step {@code i} in the full schedule. */
    public int absoluteIndex(int i) {
        return start + i;
    }

    /** The timestep the UNet gets at step i (fractional for Euler / Euler a / LMS). */
    public float timestep(int i) {
        return timesteps[start + i];
    }

    /** All UNet timesteps of the steps this schedule runs. */
    public float[] timesteps() {
        return Arrays.copyOfRange(timesteps, start, timesteps.length);
    }

    public boolean hasSigmas() {
        return sigmas != null;
    }

    /** The sigma at step i; {@code sigma(steps())} is the final one (0). */
    public double sigma(int i) {
        return sigmaF(i);
    }

    float sigmaF(int i) {
        return sigmaAbs(start + i);
    }

    /** The sigma at a position of the full schedule (multistep samplers look back before the start). */
    float sigmaAbs(int absoluteIndex) {
        if (sigmas == null) {
            throw new IllegalStateException(kind.cliName() + " has no sigma schedule");
        }
        return sigmas[absoluteIndex];
    }

    /** All sigmas from the first step run to the final one. */
    public float[] sigmas() {
        return sigmas == null ? null : Arrays.copyOfRange(sigmas, start, sigmas.length);
    }

    /** The factor the initial noise is multiplied by (txt2img). */
    public double initNoiseSigma() {
        return initNoiseSigmaF();
    }

    float initNoiseSigmaF() {
        return kind == SamplerKind.EULER || kind == SamplerKind.EULER_A || kind == SamplerKind.LMS ? sigmas[0] : 1f;
    }

    /** alphas_cumprod at an integer train timestep; negative means "after the last step" (alphas_cumprod[0]). */
    float alphaCumprod(int t) {
        if (t >= alphasCumprod.length) {
            throw new IllegalArgumentException("timestep " + t + " is beyond the " + alphasCumprod.length
                    + " train steps: use fewer sampling steps");
        }
        return t >= 0 ? alphasCumprod[t] : alphasCumprod[0];
    }

    /** Train timesteps between two leading-spaced steps (DDIM/PNDM). */
    int stepRatio() {
        return alphasCumprod.length / requestedSteps;
    }

    /** diffusers' add_noise at step i's timestep: the noised latents an img2img run starts from. */
    public NDArray addNoise(NDArray original, NDArray noise, int stepIndex) {
        switch (kind) {
            case DDIM:
            case PNDM:
            case LCM:
            case TCD: {
                float a = alphaCumprod((int) timestep(stepIndex));
                float sqrtA = (float) Math.sqrt(a);
                float sqrtOneMinusA = (float) Math.sqrt(1f - a);
                try (NDArray n = noise.mul(sqrtOneMinusA)) {
                    return original.mul(sqrtA).addi(n);
                }
            }
            case DPMPP_2M:
            case DPMPP_2M_KARRAS: {
                float s = sigmaF(stepIndex);
                float alpha = 1f / (float) Math.sqrt(s * s + 1f);
                float sigmaT = s * alpha;
                try (NDArray n = noise.mul(sigmaT)) {
                    return original.mul(alpha).addi(n);
                }
            }
            default:
                try (NDArray n = noise.mul(sigmaF(stepIndex))) {
                    return original.add(n);
                }
        }
    }

    /**
     * The clean latents the model predicts at step i from the latents {@code x} (before the step's
     * input scaling) and its eps: {@code x - sigma eps} for the sigma samplers, {@code (x - sqrt(1-a) eps)
     * / sqrt(a)} for the alpha ones (DDIM, PLMS, LCM, TCD), DPM++'s data prediction. For previews.
     */
    public NDArray predictedClean(NDArray x, NDArray eps, int i) {
        switch (kind) {
            case EULER:
            case EULER_A:
            case LMS:
                return x.sub(eps.mul(sigmaF(i)));
            case DPMPP_2M:
            case DPMPP_2M_KARRAS: {
                float sigma = sigmaF(i);
                float alpha = 1f / (float) Math.sqrt(sigma * sigma + 1f);
                return x.sub(eps.mul(sigma * alpha)).div(alpha);
            }
            default: {
                float a = alphaCumprod((int) timestep(i));
                return x.sub(eps.mul((float) Math.sqrt(1f - a))).div((float) Math.sqrt(a));
            }
        }
    }

    /** diffusers' scale_model_input: x / sqrt(sigma^2 + 1) for Euler / Euler a / LMS, else x itself. */
    public NDArray scaleInput(NDArray x, int i) {
        if (kind == SamplerKind.EULER || kind == SamplerKind.EULER_A || kind == SamplerKind.LMS) {
            float s = sigmaF(i);
            return x.div((float) Math.sqrt(s * s + 1f));
        }
        return x;
    }

    @Override
    public String toString() {
        return kind.cliName() + (spacing == TimestepSpacing.DEFAULT ? "" : " " + spacing.cliName()) + " " + steps()
                + " steps, timesteps " + Arrays.toString(timesteps());
    }
}
