package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * float32 compute (subclassed only by {@link Fp32ChannelsLastCompute}): weights stay as loaded (float16 ones are upcast at each use by {@link Weights}),
 * {@link Ops}' kernels. The numbers of the golden tests.
 */
class Fp32Compute implements Compute {
    @Override
    public Precision precision() {
        return Precision.FP32;
    }

    @Override
    public NDArray weight(NDArray loaded) {
        return loaded;
    }

    @Override
    public NDArray normWeight(NDArray loaded) {
        return loaded;
    }

    @Override
    public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return Weights.apply(weight, bias, (w, b) -> Ops.conv2d(x, w, b, stride, padding));
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Weights.apply(weight, bias, (w, b) -> Ops.linear(x, w, b));
    }

    @Override
    public NDArray norm(NDArray x, int groups, NDArray weight, NDArray bias, float eps, boolean silu) {
        NDArray y = Weights.apply(weight, bias, (w, b) -> groups > 0 ? Ops.groupNorm(x, groups, w, b, eps)
                : Ops.layerNorm(x, w, b, eps));
        return silu ? Ops.silu(y) : y;
    }

    @Override
    public NDArray attention(NDArray q, NDArray k, NDArray v, int heads, long maxScores) {
        return FusedOps.available() ? Ops.attention(q, k, v, heads) : Ops.slicedAttention(q, k, v, heads, maxScores);
    }

    @Override
    public NDArray toFloat32(NDArray x) {
        return x;
    }
}
