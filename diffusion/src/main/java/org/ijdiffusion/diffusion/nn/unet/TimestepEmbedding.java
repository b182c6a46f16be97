package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The UNet's timestep embedding: sinusoidal features (cos first, frequencies
 * {@code exp(-ln(10000) i / half)}, as LDM {@code timestep_embedding} and diffusers {@code Timesteps}
 * with flip_sin_to_cos and shift 0) through the MLP {@code time_embed.{0,2}} with SiLU between.
 */
public final class TimestepEmbedding {
    private static final double MAX_PERIOD = 10000.0;

    private final int dim;
    private final LinearLayer linear0;
    private final LinearLayer linear2;

    private TimestepEmbedding(int dim, LinearLayer linear0, LinearLayer linear2) {
        this.dim = dim;
        this.linear0 = linear0;
        this.linear2 = linear2;
    }

    /** Loads {@code time_embed.0} [embedDim, dim] and {@code time_embed.2} [embedDim, embedDim] from {@code p}. */
    static TimestepEmbedding load(Params p, int dim, int embedDim) {
        return new TimestepEmbedding(dim,
                LinearLayer.load(p.at("0"), embedDim, dim, true),
                LinearLayer.load(p.at("2"), embedDim, embedDim, true));
    }

    /** The embedding for timesteps [B] (float32), shape [B, embedDim]. */
    public NDArray forward(NDArray timesteps) {
        NDArray features = sinusoidal(timesteps, dim);
        return linear2.forward(Ops.silu(linear0.forward(features)));
    }

    /**
     * Sinusoidal features [B, dim] of timesteps [B]: {@code [cos(t f_i), sin(t f_i)]} with
     * {@code f_i = exp(-ln(10000) i / (dim/2))}, computed in float32 in the same order as the reference.
     */
    public static NDArray sinusoidal(NDArray timesteps, int dim) {
        NDManager m = timesteps.getManager();
        int half = dim / 2;
        NDArray freqs = m.arange(0f, (float) half, 1f, DataType.FLOAT32)
                .mul((float) -Math.log(MAX_PERIOD)).div((float) half).exp();
        NDArray t = timesteps.toType(DataType.FLOAT32, false).reshape(-1, 1);
        NDArray args = t.mul(freqs.reshape(1, half));
        NDArray emb = NDArrays.concat(new NDList(args.cos(), args.sin()), 1);
        if (dim % 2 == 1) {
            emb = emb.concat(m.zeros(new Shape(emb.getShape().get(0), 1)), 1);
        }
        return emb;
    }
}
