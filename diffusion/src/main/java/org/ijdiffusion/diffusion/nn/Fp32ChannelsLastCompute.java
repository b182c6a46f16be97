package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import org.ijdiffusion.diffusion.io.MappedArrays;

/**
 * float32 for the VAE decoder (a convolution network at image resolution): activations flow in channels-last
 * memory format through the convolutions, group norms, SiLU, upsampling and residual sums, which is
 * how oneDNN's float32 convolutions run fastest on CPU (measured here: a 3x3 conv 128->128 at
 * 512x512 304 vs 253 GFLOP/s, 256->256 at 256x256 273 vs 202; NCHW input costs a reorder into and
 * out of the kernel's own layout at every call). Weights are held as {@link Fp32Compute} holds them
 * (float16 ones stay float16) and converted to float32 channels-last at each use, into the scratch
 * array {@link Weights} keeps for its own upcasts. Linear layers and
 * attention are {@link Fp32Compute}'s (inherited); {@link #toFloat32} hands results on contiguous (NCHW).
 *
 * <p>The numbers differ from {@link Fp32Compute}'s only by float32 rounding (another summation order
 * inside the convolution and the group norm), within the golden tolerances.
 */
final class Fp32ChannelsLastCompute extends Fp32Compute {
    private static final String CL = ScriptKernels.CHANNELS_LAST;
    private static final String F32 = ScriptKernels.F32;

    static final Compute INSTANCE = new Fp32ChannelsLastCompute();

    private final ScriptKernels kernels = new ScriptKernels("Fp32Cl");

    private Fp32ChannelsLastCompute() {
    }

    @Override
    public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        NDArray w = MappedArrays.resident(weight);
        NDArray b = MappedArrays.resident(bias);
        // the weight as float32 channels-last, written into the shared scratch (a channels-last view of
        // it): no fresh weight-sized array per call, whose pages would be faulted in each time
        String clWeight = "s.narrow(0, 0, w.numel()).view([w.size(0), w.size(2), w.size(3), w.size(1)])"
                + ".permute([0, 3, 1, 2]).copy_(w)";
        String call = "torch.conv2d(x.contiguous(memory_format=" + CL + "), " + clWeight + ", "
                + (b == null ? "None" : "b.to(" + F32 + ")") + ", [" + stride + ", " + stride + "], [" + padding
                + ", " + padding + "])";
        return Weights.withScratch(w.size(), s -> b == null ? kernels.run("x,w,s", call, x.getManager(), x, w, s)
                : kernels.run("x,w,b,s", call, x.getManager(), x, w, b, s));
    }

    @Override
    public NDArray norm(NDArray x, int groups, NDArray weight, NDArray bias, float eps, boolean silu) {
        if (groups <= 0) {
            return super.norm(x, groups, weight, bias, eps, silu);
        }
        String gn = "torch.group_norm(x, " + groups + ", w.to(" + F32 + "), b.to(" + F32 + "), "
                + ScriptKernels.number(eps) + ")";
        return kernels.run("x,w,b", silu ? "torch.silu_(" + gn + ")" : gn, x.getManager(), x,
                MappedArrays.resident(weight), MappedArrays.resident(bias));
    }

    @Override
    public NDArray toFloat32(NDArray x) {
        return kernels.run("x", "x.contiguous()", x.getManager(), x);
    }
}
