package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.ChannelsLast;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Precision;

/**
 * How a TAESD network holds its weights and runs: contiguous NCHW float32 (the encoder, and the decoder
 * with {@code -Dijd.taesd.layout=nchw}), channels-last float32 (the decoder by default), or channels-last
 * bfloat16 (the decoder of a model loaded in bf16: previews and drafts at about twice the float32 speed on
 * a CPU with native bfloat16; the clamp before it and the RGB after it in float32).
 */
enum TaesdFormat {
    NCHW("nchw, fp32"),
    CHANNELS_LAST("channels-last, fp32"),
    BF16("channels-last, bf16");

    private final String label;

    TaesdFormat(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** A loaded weight or bias (which may alias a file mapping, then released) as this format holds it. */
    NDArray weight(NDArray loaded) {
        return switch (this) {
            case NCHW -> loaded;
            case CHANNELS_LAST -> loaded.getShape().dimension() == 4 ? ChannelsLast.weight(loaded) : loaded;
            case BF16 -> loaded.getShape().dimension() == 4 ? bf16().convWeight(loaded) : bf16().weight(loaded);
        };
    }

    /** float32 NCHW input in this format. */
    NDArray enter(NDArray x) {
        return switch (this) {
            case NCHW -> x;
            case CHANNELS_LAST -> ChannelsLast.of(x);
            case BF16 -> ChannelsLast.ofBf16(x);
        };
    }

    /** A result in this format as float32 NCHW. */
    NDArray leave(NDArray x) {
        return switch (this) {
            case NCHW -> x;
            case CHANNELS_LAST -> ChannelsLast.contiguous(x);
            case BF16 -> bf16().toFloat32(x);
        };
    }

    /**
     * The UNet's and VAE's bf16 compute: its weight conversions (convolution weights bf16 channels-last, as
     * {@code -Dijd.bf16.cl} says for all bf16 networks) and its way back to float32. Asked only for a bf16
     * decoder ({@link Taesd#load} checked the CPU first).
     */
    private static Compute bf16() {
        return Compute.of(Precision.BF16);
    }
}
