package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.ijdiffusion.diffusion.io.MappedArrays;

/**
 * bfloat16 compute: convolution and linear weights are converted once, at load, into bfloat16 arrays
 * of the engine's own (half the memory of float32; their file mappings are released); convolutions,
 * linear layers and attention run on bfloat16 activations (oneDNN's bf16 kernels; the attention
 * kernel accumulates its softmax in float32). Group and layer norms compute their statistics and
 * affine in float32 from a float32 copy of the input and round the result to bfloat16; norm weights
 * are held in float32.
 *
 * <p><b>DJL and bfloat16.</b> DJL 0.35's PyTorch JNI aborts the JVM whenever it has to map the bfloat16
 * type between Java and libtorch ({@code NDArray.getDataType()}, {@code toType(BFLOAT16)},
 * {@code manager.create(..., BFLOAT16)}, {@code toFloatArray()}: exit 134). Handles of bfloat16 tensors
 * are otherwise fine: DJL's type-agnostic ops (add, reshape, transpose, split, concat, conv2d, gelu,
 * interpolate, close) pass them through libtorch untouched (measured). So every conversion to and from
 * bfloat16 happens inside the TorchScript module below, and no code that may see a bfloat16 array asks
 * for its type: the networks call this class, never {@code getDataType()} on activations.
 */
final class Bf16Compute implements Compute {
    /** TorchScript's ScalarType numbers: torch.bfloat16 is 15, torch.float32 6. */
    private static final String SOURCE = ""
            + "  def weight(self: __torch__.Bf16,\n"
            + "    w: Tensor) -> Tensor:\n"
            + "    return w.to(15, False, True)\n"
            + "  def norm_weight(self: __torch__.Bf16,\n"
            + "    w: Tensor) -> Tensor:\n"
            + "    return w.to(6, False, True)\n"
            + "  def to_f32(self: __torch__.Bf16,\n"
            + "    x: Tensor) -> Tensor:\n"
            + "    return x.float()\n"
            + "  def conv(self: __torch__.Bf16,\n"
            + "    x: Tensor, w: Tensor, b: Tensor, stride: int, padding: int) -> Tensor:\n"
            + "    return torch.conv2d(x.to(15), w, b, [stride, stride], [padding, padding])\n"
            + "  def linear(self: __torch__.Bf16,\n"
            + "    x: Tensor, w: Tensor, b: Tensor) -> Tensor:\n"
            + "    return torch.linear(x.to(15), w, b)\n"
            + "  def linear_no_bias(self: __torch__.Bf16,\n"
            + "    x: Tensor, w: Tensor) -> Tensor:\n"
            + "    return torch.linear(x.to(15), w)\n"
            + "  def group_norm(self: __torch__.Bf16,\n"
            + "    x: Tensor, groups: int, w: Tensor, b: Tensor, eps: float) -> Tensor:\n"
            + "    return torch.group_norm(x.float(), groups, w, b, eps).to(15)\n"
            + "  def group_norm_silu(self: __torch__.Bf16,\n"
            + "    x: Tensor, groups: int, w: Tensor, b: Tensor, eps: float) -> Tensor:\n"
            + "    return torch.silu(torch.group_norm(x.float(), groups, w, b, eps)).to(15)\n"
            + "  def layer_norm(self: __torch__.Bf16,\n"
            + "    x: Tensor, w: Tensor, b: Tensor, eps: float) -> Tensor:\n"
            + "    return torch.layer_norm(x.float(), [x.size(-1)], w, b, eps).to(15)\n"
            + "  def attention(self: __torch__.Bf16,\n"
            + "    q: Tensor, k: Tensor, v: Tensor) -> Tensor:\n"
            + "    return torch.scaled_dot_product_attention(q.to(15), k.to(15), v.to(15))\n";

    private static final Object LOCK = new Object();
    private static Bf16Compute instance;

    private final TorchScriptModule kernels;

    private Bf16Compute(TorchScriptModule kernels) {
        this.kernels = kernels;
    }

    /** The one instance, its kernels compiled at the first call; fails when bf16 cannot run here. */
    static Bf16Compute get() {
        synchronized (LOCK) {
            if (instance == null) {
                Precision.BF16.requireSupported();
                instance = new Bf16Compute(TorchScriptModule.compile("Bf16", SOURCE));
            }
            return instance;
        }
    }

    @Override
    public Precision precision() {
        return Precision.BF16;
    }

    @Override
    public NDArray weight(NDArray loaded) {
        return convert("weight", loaded);
    }

    @Override
    public NDArray normWeight(NDArray loaded) {
        return convert("norm_weight", loaded);
    }

    /** A copy of {@code loaded} made by {@code method}, held with the weights; {@code loaded} is released. */
    private NDArray convert(String method, NDArray loaded) {
        if (loaded == null) {
            return null;
        }
        NDArray out = kernels.call(method, loaded.getManager(), loaded);
        // a weight outlives any step scope that may be open while it loads
        NDScope.unregister(out);
        if (!MappedArrays.release(loaded)) {
            loaded.close();
        }
        return out;
    }

    @Override
    public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return kernels.call("conv", x.getManager(), x, weight, bias, stride, padding);
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null ? kernels.call("linear_no_bias", x.getManager(), x, weight)
                : kernels.call("linear", x.getManager(), x, weight, bias);
    }

    @Override
    public NDArray norm(NDArray x, int groups, NDArray weight, NDArray bias, float eps, boolean silu) {
        if (groups > 0) {
            return kernels.call(silu ? "group_norm_silu" : "group_norm", x.getManager(), x, groups, weight, bias,
                    decimal(eps));
        }
        NDArray y = kernels.call("layer_norm", x.getManager(), x, weight, bias, decimal(eps));
        return silu ? Ops.silu(y) : y;
    }

    /** The float as the decimal it was written as (1e-5f becomes 1e-5, not 9.99999974e-6), as torch takes eps. */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    @Override
    public NDArray attention(NDArray q, NDArray k, NDArray v, int heads, long maxScores) {
        // the fused kernel never holds the score matrix: maxScores does not apply
        return Ops.attention(q, k, v, heads);
    }

    @Override
    public NDArray toFloat32(NDArray x) {
        return kernels.call("to_f32", x.getManager(), x);
    }
}
