package org.ijdiffusion.diffusion.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The number format the UNet, ControlNet and VAE compute in, decided once when they load. The text
 * encoder always runs in float32 (it is cheap).
 * <ul>
 * <li>{@link #FP32}: float32 throughout, the reference (bit-exact with the golden data).</li>
 * <li>{@link #BF16}: weights held once in bfloat16 (half the memory of float32), convolutions, linear
 * layers and attention in bfloat16; group/layer norm statistics, softmax accumulation, the timestep
 * embedding and everything between the networks (latents, sampler arithmetic) in float32
 * ({@link Bf16Compute}). Needs a CPU with native bfloat16 instructions ({@link CpuFeatures}).</li>
 * </ul>
 */
public enum Precision {
    FP32("fp32"),
    BF16("bf16");

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Labels in declaration order, for dialogs and usage text. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Precision::label).toList();
    }

    /** The precision named {@code label} (case-insensitive); a clear message for anything else. */
    public static Precision fromLabel(String label) {
        String l = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.label.equals(l)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown precision '" + label + "': use one of " + labels() + ".");
    }

    /**
     * Fails with a message saying why when this precision cannot run here: bf16 needs a CPU with
     * AVX512-BF16 or AMX-BF16 (emulated bfloat16 would be slower than float32) and the engine's
     * TorchScript kernels ({@link FusedOps}).
     */
    public void requireSupported() {
        if (this != BF16) {
            return;
        }
        CpuFeatures cpu = CpuFeatures.current();
        if (!cpu.hasNativeBf16()) {
            throw new IllegalArgumentException("bf16 needs a CPU with native bfloat16 instructions: "
                    + cpu.bf16Missing() + ". Use --precision fp32 (Precision: fp32) on this machine.");
        }
        if (!FusedOps.available()) {
            throw new IllegalArgumentException("bf16 runs on the engine's TorchScript kernels, which are "
                    + FusedOps.describe() + " here. Use fp32.");
        }
    }
}
