package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM {@code SpatialTransformer}: GroupNorm {@code norm} (eps 1e-6), {@code proj_in}, the
 * {@code transformer_blocks} over the H*W positions, {@code proj_out}, added to the input.
 * The projections are 1x1 convolutions (SD1) or linear layers (SD2 style, {@code linearProj}).
 */
final class SpatialTransformer implements UnetLayer {
    private final NormLayer norm;
    private final Projection projIn;
    private final List<TransformerBlock> transformerBlocks;
    private final Projection projOut;
    private final long inner;

    private SpatialTransformer(NormLayer norm, Projection projIn, List<TransformerBlock> transformerBlocks,
            Projection projOut, long inner) {
        this.norm = norm;
        this.projIn = projIn;
        this.transformerBlocks = transformerBlocks;
        this.projOut = projOut;
        this.inner = inner;
    }

    static SpatialTransformer load(Params p, long channels, UnetConfig c) {
        int heads = c.headsFor(channels);
        long headDim = c.headDimFor(channels);
        long inner = heads * headDim;
        List<TransformerBlock> blocks = new ArrayList<>();
        for (int k = 0; k < c.transformerDepth(); k++) {
            blocks.add(TransformerBlock.load(p.at("transformer_blocks." + k), inner, c.contextDim(), heads, headDim));
        }
        return new SpatialTransformer(
                UnetNorms.transformerGroup(p.at("norm"), channels),
                Projection.load(p.at("proj_in"), inner, channels, c.linearProj()),
                blocks,
                Projection.load(p.at("proj_out"), channels, inner, c.linearProj()),
                inner);
    }

    @Override
    public NDArray forward(NDArray x, NDArray emb, NDArray context, long[] outputSize) {
        Shape s = x.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDArray t = norm.forward(x);
        if (projIn.conv != null) {
            t = toTokens(projIn.conv.forward(t), b, h * w, inner);
        } else {
            t = projIn.linear.forward(toTokens(t, b, h * w, s.get(1)));
        }
        for (TransformerBlock block : transformerBlocks) {
            NDArray in = t;
            t = ForwardScope.step(() -> block.forward(in, context));
        }
        NDArray out;
        if (projOut.conv != null) {
            out = projOut.conv.forward(toImage(t, b, h, w, inner));
        } else {
            out = toImage(projOut.linear.forward(t), b, h, w, s.get(1));
        }
        return out.add(x);
    }

    /** [B, C, H, W] -> [B, H*W, C]. */
    private static NDArray toTokens(NDArray x, long b, long hw, long c) {
        return x.transpose(0, 2, 3, 1).reshape(b, hw, c);
    }

    /** [B, H*W, C] -> [B, C, H, W]. */
    private static NDArray toImage(NDArray t, long b, long h, long w, long c) {
        return t.reshape(b, h, w, c).transpose(0, 3, 1, 2);
    }

    /** proj_in / proj_out: a 1x1 convolution or a linear layer, by the checkpoint's tensor rank. */
    private static final class Projection {
        final Conv2dLayer conv;
        final LinearLayer linear;

        private Projection(Conv2dLayer conv, LinearLayer linear) {
            this.conv = conv;
            this.linear = linear;
        }

        static Projection load(Params p, long out, long in, boolean linear) {
            return linear ? new Projection(null, LinearLayer.load(p, out, in, true))
                    : new Projection(Conv2dLayer.load(p, out, in, 1, 1), null);
        }
    }
}
