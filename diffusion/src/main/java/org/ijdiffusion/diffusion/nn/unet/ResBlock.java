package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.NormLayer;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * LDM {@code ResBlock}: {@code in_layers} (GroupNorm, SiLU, conv 3x3), plus {@code emb_layers}
 * (SiLU, linear) of the timestep embedding, {@code out_layers} (GroupNorm, SiLU, dropout, conv 3x3),
 * added to the input (through the 1x1 {@code skip_connection} when the channel count changes).
 */
final class ResBlock implements UnetLayer {
    private final NormLayer inLayers0;
    private final Conv2dLayer inLayers2;
    private final LinearLayer embLayers1;
    private final NormLayer outLayers0;
    private final Conv2dLayer outLayers3;
    private final Conv2dLayer skipConnection;

    private ResBlock(NormLayer inLayers0, Conv2dLayer inLayers2, LinearLayer embLayers1, NormLayer outLayers0,
            Conv2dLayer outLayers3, Conv2dLayer skipConnection) {
        this.inLayers0 = inLayers0;
        this.inLayers2 = inLayers2;
        this.embLayers1 = embLayers1;
        this.outLayers0 = outLayers0;
        this.outLayers3 = outLayers3;
        this.skipConnection = skipConnection;
    }

    static ResBlock load(Params p, long in, long out, long embDim) {
        return new ResBlock(
                UnetNorms.group(p.at("in_layers.0"), in),
                Conv2dLayer.load(p.at("in_layers.2"), out, in, 3, 1),
                LinearLayer.load(p.at("emb_layers.1"), out, embDim, true),
                UnetNorms.group(p.at("out_layers.0"), out),
                Conv2dLayer.load(p.at("out_layers.3"), out, out, 3, 1),
                in == out ? null : Conv2dLayer.load(p.at("skip_connection"), out, in, 1, 1));
    }

    @Override
    public NDArray forward(NDArray x, NDArray emb, NDArray context, long[] outputSize) {
        NDArray h = inLayers2.forward(inLayers0.forwardSilu(x));
        NDArray e = embLayers1.forward(Ops.silu(emb));
        h = h.add(e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1));
        h = outLayers3.forward(outLayers0.forwardSilu(h));
        NDArray skip = skipConnection == null ? x : skipConnection.forward(x);
        return skip.add(h);
    }
}
