package org.ijdiffusion.diffusion.nn.vae;

/**
 * The analytic floating-point operation count of one {@link Vae#decode} (post_quant_conv and the
 * {@link Decoder}), walked over the structure a {@link VaeConfig} gives. One multiply-add is 2 FLOP.
 * Counted: every convolution (3x3, the 1x1 {@code post_quant_conv} and {@code nin_shortcut}s), the
 * attention blocks' q/k/v/proj_out linear maps and their two matmuls q k^T and p v. The middle block
 * is taken to carry its attention (every SD VAE has {@code mid.attn_1}). Ignored: biases, norms,
 * activations, softmax, residual adds and the nearest upsampling (elementwise work).
 *
 * @param conv      FLOP in convolutions
 * @param linear    FLOP in the attention blocks' linear maps
 * @param attention FLOP in the attention matmuls
 */
public record VaeFlops(long conv, long linear, long attention) {

    public long total() {
        return conv + linear + attention;
    }

    /** The FLOP of decoding latents [batch, z, height, width] to [batch, out, height*f, width*f]. */
    public static VaeFlops decode(VaeConfig c, long batch, long height, long width) {
        if (batch <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("VAE FLOP count needs a positive batch and size, not "
                    + batch + " x " + height + " x " + width);
        }
        Walk k = new Walk(batch);
        long h = height;
        long w = width;
        k.conv(c.zChannels(), c.zChannels(), 1, h, w);
        long ch = c.channels(c.levels() - 1);
        k.conv(c.zChannels(), ch, 3, h, w);
        k.resnet(ch, ch, h, w);
        k.attention(ch, h * w);
        k.resnet(ch, ch, h, w);
        boolean[] attention = c.decoderAttention();
        for (int level = c.levels() - 1; level >= 0; level--) {
            long out = c.channels(level);
            for (int m = 0; m <= c.numResBlocks(); m++) {
                k.resnet(ch, out, h, w);
                ch = out;
                if (attention[level]) {
                    k.attention(ch, h * w);
                }
            }
            if (level != 0) {
                h *= 2;
                w *= 2;
                k.conv(ch, ch, 3, h, w);
            }
        }
        k.conv(ch, c.outChannels(), 3, h, w);
        return new VaeFlops(k.conv, k.linear, k.attention);
    }

    /** The running sums of one walk. */
    private static final class Walk {
        private final long batch;
        long conv;
        long linear;
        long attention;

        Walk(long batch) {
            this.batch = batch;
        }

        /** A k x k convolution producing h x w. */
        void conv(long in, long out, long kernel, long h, long w) {
            conv += 2 * batch * in * out * kernel * kernel * h * w;
        }

        /** conv1, conv2, and the 1x1 nin_shortcut when the width changes. */
        void resnet(long in, long out, long h, long w) {
            conv(in, out, 3, h, w);
            conv(out, out, 3, h, w);
            if (in != out) {
                conv(in, out, 1, h, w);
            }
        }

        /** Single-head self-attention over {@code tokens} positions of width {@code channels}. */
        void attention(long channels, long tokens) {
            linear += 2 * batch * 4 * channels * channels * tokens;
            attention += 2 * 2 * batch * tokens * tokens * channels;
        }
    }
}
