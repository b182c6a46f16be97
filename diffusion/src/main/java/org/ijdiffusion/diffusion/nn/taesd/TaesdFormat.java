package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.ChannelsLast;

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

    boolean channelsLast() {
        return this != NCHW;
    }

    /** A loaded weight or bias (which may alias a file mapping, then released) as this format holds it. */
    NDArray weight(NDArray loaded) {
        return switch (this) {
            case NCHW -> loaded;
            case CHANNELS_LAST -> loaded.getShape().dimension() == 4 ? ChannelsLast.weight(loaded) : loaded;
            case BF16 -> ChannelsLast.bf16Weight(loaded);
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
            case BF16 -> ChannelsLast.contiguousFloat32(x);
        };
    }
}
