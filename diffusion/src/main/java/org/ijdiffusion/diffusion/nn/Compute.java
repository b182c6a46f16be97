package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * How a network holds its weights and runs its layers, chosen once when it loads ({@link Params#compute()}):
 * the layers ({@link Conv2dLayer}, {@link NormLayer}, the linear layers, the attentions) call these
 * operations and never look at the number format themselves.
 *
 * <p>Every operation accepts activations of either format (a bfloat16 kernel converts its input), so
 * float32 latents and conditioning enter a bfloat16 network unchanged; {@link #toFloat32} is applied
 * where a network hands its result on.
 */
public interface Compute {
    /** float32, the reference: the kernels and weight handling of the golden tests. */
    Compute FP32 = new Fp32Compute();

    static Compute of(Precision p) {
        return p == Precision.BF16 ? Bf16Compute.get() : FP32;
    }

    /**
     * The compute the VAE decoder runs with when asked for {@code c}: in float32 its activations are
     * channels-last ({@link Fp32ChannelsLastCompute}, the same numbers to float32 rounding, faster
     * convolutions); {@code -Dijd.fp32.cl=false} keeps them NCHW (the {@link #FP32} kernels), for
     * comparisons. Other computes are returned as they are. Not used for the UNet, the ControlNet and
     * the VAE encoder: there the channels-last convolutions and group norms moved the UNet goldens past
     * their 1e-5 bound (1.27e-5) and legacy inpainting (whose init latents the encoder makes) from 5.5e-5
     * to 5e-3 (2 PNG levels).
     */
    static Compute forConvNet(Compute c) {
        return c == FP32 && !"false".equals(System.getProperty("ijd.fp32.cl")) ? Fp32ChannelsLastCompute.INSTANCE : c;
    }

    Precision precision();

    /**
     * A convolution or linear weight (or its bias) as this compute holds it, from the array the loader
     * gave (which may alias a file mapping). May release {@code loaded}.
     */
    NDArray weight(NDArray loaded);

    /** A convolution's 4-D weight [out, in, k, k] as this compute holds it. May release {@code loaded}. */
    default NDArray convWeight(NDArray loaded) {
        return weight(loaded);
    }

    /** A norm's affine weight or bias as this compute holds it. May release {@code loaded}. */
    NDArray normWeight(NDArray loaded);

    /** 2-D convolution, square kernel, same stride and padding on both axes. */
    NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding);

    /** x W^T + b over the last axis ({@code bias} may be null). */
    NDArray linear(NDArray x, NDArray weight, NDArray bias);

    /**
     * Group norm over axis 1 in {@code groups} groups, or layer norm over the last axis when
     * {@code groups} is 0, with the per-channel affine; followed by SiLU when {@code silu}.
     */
    NDArray norm(NDArray x, int groups, NDArray weight, NDArray bias, float eps, boolean silu);

    /**
     * softmax(q k^T / sqrt(d)) v per head for q [B, Lq, heads*d], k and v [B, Lk, heads*d]; composed
     * attention (when the fused kernel is unavailable) holds at most {@code maxScores} scores at once.
     */
    NDArray attention(NDArray q, NDArray k, NDArray v, int heads, long maxScores);

    /** {@code x} as float32 (itself when it is float32): where a network's result leaves it. */
    NDArray toFloat32(NDArray x);
}
