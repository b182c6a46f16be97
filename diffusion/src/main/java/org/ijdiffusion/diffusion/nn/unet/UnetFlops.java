package org.ijdiffusion.diffusion.nn.unet;

import java.util.ArrayList;
import java.util.List;

/**
 * The analytic floating-point operation count of one UNet forward, walked over the same structure
 * {@link UnetEncoder} and {@link UnetDecoder} build from a {@link UnetConfig}. One multiply-add is 2 FLOP.
 * Counted: every convolution (3x3, the stride-2 downsamples at their ceil(h/2) output, the 1x1 skip
 * connections and, in SD1 style, the 1x1 {@code proj_in}/{@code proj_out}), every linear layer (time
 * embedding, each ResBlock's {@code emb_layers}, q/k/v/out, the GEGLU feed-forward, linear projections
 * in SD2 style) and the two attention matmuls q k^T and p v. Ignored: biases, norms, activations,
 * softmax, residual adds, upsampling and concatenation (elementwise work, no multiply-add per weight).
 *
 * @param conv      FLOP in convolutions
 * @param linear    FLOP in linear layers
 * @param attention FLOP in the attention matmuls (q k^T and p v)
 */
public record UnetFlops(long conv, long linear, long attention) {

    public long total() {
        return conv + linear + attention;
    }

    /**
     * The FLOP of one forward of latents [batch, in, height, width] with a context of
     * {@code contextLength} tokens (77 per prompt chunk); with classifier-free guidance the batch is
     * twice the number of images.
     */
    public static UnetFlops of(UnetConfig c, long batch, long height, long width, long contextLength) {
        if (batch <= 0 || height <= 0 || width <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("UNet FLOP count needs a positive batch, size and context length, not "
                    + batch + " x " + height + " x " + width + ", context " + contextLength);
        }
        Walk k = new Walk(c, batch, contextLength);
        long emb = c.timeEmbedDim();
        k.linear(c.modelChannels(), emb, 1);
        k.linear(emb, emb, 1);
        long h = height;
        long w = width;
        k.conv(c.inChannels(), c.modelChannels(), 3, h, w);
        List<long[]> skips = new ArrayList<>();
        skips.add(new long[] {c.modelChannels(), h, w});
        long ch = c.modelChannels();
        for (int level = 0; level < c.levels(); level++) {
            long out = c.channels(level);
            for (int i = 0; i < c.numResBlocks(); i++) {
                k.resBlock(ch, out, h, w);
                ch = out;
                if (c.attention().get(level)) {
                    k.transformer(ch, h, w);
                }
                skips.add(new long[] {ch, h, w});
            }
            if (level < c.levels() - 1) {
                // 3x3, stride 2, padding 1: ceil(h / 2)
                h = (h + 1) / 2;
                w = (w + 1) / 2;
                k.conv(ch, ch, 3, h, w);
                skips.add(new long[] {ch, h, w});
            }
        }
        k.resBlock(ch, ch, h, w);
        k.transformer(ch, h, w);
        k.resBlock(ch, ch, h, w);
        for (int level = c.levels() - 1; level >= 0; level--) {
            long out = c.channels(level);
            for (int i = 0; i <= c.numResBlocks(); i++) {
                long[] skip = skips.remove(skips.size() - 1);
                k.resBlock(ch + skip[0], out, h, w);
                ch = out;
                if (c.attention().get(level)) {
                    k.transformer(ch, h, w);
                }
                if (level > 0 && i == c.numResBlocks()) {
                    // nearest upsampling to the size of the skip the next block meets, then a 3x3 conv
                    long[] next = skips.get(skips.size() - 1);
                    h = next[1];
                    w = next[2];
                    k.conv(ch, ch, 3, h, w);
                }
            }
        }
        k.conv(ch, c.outChannels(), 3, h, w);
        return new UnetFlops(k.conv, k.linear, k.attention);
    }

    /** The running sums of one walk. */
    private static final class Walk {
        private final UnetConfig c;
        private final long batch;
        private final long contextLength;
        long conv;
        long linear;
        long attention;

        Walk(UnetConfig c, long batch, long contextLength) {
            this.c = c;
            this.batch = batch;
            this.contextLength = contextLength;
        }

        /** A k x k convolution producing h x w. */
        void conv(long in, long out, long kernel, long h, long w) {
            conv += 2 * batch * in * out * kernel * kernel * h * w;
        }

        /** A linear layer applied to {@code rows} vectors per batch item. */
        void linear(long in, long out, long rows) {
            linear += 2 * batch * in * out * rows;
        }

        /** in_layers conv, emb_layers linear, out_layers conv, 1x1 skip when the width changes. */
        void resBlock(long in, long out, long h, long w) {
            conv(in, out, 3, h, w);
            linear(c.timeEmbedDim(), out, 1);
            conv(out, out, 3, h, w);
            if (in != out) {
                conv(in, out, 1, h, w);
            }
        }

        /** proj_in, the transformer blocks over the h*w tokens, proj_out. */
        void transformer(long channels, long h, long w) {
            long tokens = h * w;
            long inner = c.headsFor(channels) * c.headDimFor(channels);
            projection(channels, inner, h, w);
            for (int d = 0; d < c.transformerDepth(); d++) {
                attention(inner, inner, tokens, tokens);
                attention(inner, c.contextDim(), tokens, contextLength);
                // GEGLU: proj to 2 x 4 x dim, back from 4 x dim
                linear(inner, 8 * inner, tokens);
                linear(4 * inner, inner, tokens);
            }
            projection(inner, channels, h, w);
        }

        private void projection(long in, long out, long h, long w) {
            if (c.linearProj()) {
                linear(in, out, h * w);
            } else {
                conv(in, out, 1, h, w);
            }
        }

        /** to_q, to_k, to_v, q k^T, p v (all heads: inner = heads x head width), to_out. */
        private void attention(long dim, long contextDim, long queries, long keys) {
            linear(dim, dim, queries);
            linear(contextDim, dim, 2 * keys);
            attention += 2 * 2 * batch * queries * keys * dim;
            linear(dim, dim, queries);
        }
    }
}
