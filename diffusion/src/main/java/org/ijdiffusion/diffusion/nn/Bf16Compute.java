package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
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
 *
 * <p>Each kernel is a module of its own whose {@code forward} has the layer's constants (stride,
 * padding, groups, eps) written into its source, compiled at its first use: {@code forward} is the
 * one method DJL runs outside libtorch's inference mode, whose results later in-place ops (the VAE's
 * residual sums, the samplers) may update.
 */
final class Bf16Compute implements Compute {
    private static final String BF16 = ScriptKernels.BF16;
    private static final String F32 = ScriptKernels.F32;
    private static final String CHANNELS_LAST = ScriptKernels.CHANNELS_LAST;

    private static final Object LOCK = new Object();
    private static Bf16Compute instance;

    private final ScriptKernels kernels = new ScriptKernels("Bf16");

    private Bf16Compute() {
    }

    /** The one instance; fails when bf16 cannot run here. */
    static Bf16Compute get() {
        synchronized (LOCK) {
            if (instance == null) {
                Precision.BF16.requireSupported();
                instance = new Bf16Compute();
                // compiles one kernel now: a failure shows at load, not in the first step
                instance.kernels.kernel("x", "x.to(" + BF16 + ")");
            }
            return instance;
        }
    }

    private NDArray run(String params, String body, NDManager out, NDArray... args) {
        return kernels.run(params, body, out, args);
    }

    @Override
    public Precision precision() {
        return Precision.BF16;
    }

    @Override
    public NDArray weight(NDArray loaded) {
        return convert("w.to(" + BF16 + ", False, True)", loaded);
    }

    @Override
    public NDArray normWeight(NDArray loaded) {
        return convert("w.to(" + F32 + ", False, True)", loaded);
    }

    /** {@code body} of {@code w = loaded} (a fresh tensor), held with the weights; {@code loaded} is released. */
    private NDArray convert(String body, NDArray loaded) {
        if (loaded == null) {
            return null;
        }
        NDArray out = run("w", body, loaded.getManager(), loaded);
        // a weight outlives any step scope that may be open while it loads
        NDScope.unregister(out);
        if (!MappedArrays.release(loaded)) {
            loaded.close();
        }
        return out;
    }

    static final boolean CL = !"false".equals(System.getProperty("ijd.bf16.cl"));
    static final boolean NATIVE_NORM = !"false".equals(System.getProperty("ijd.bf16.nativenorm"));

    @Override
    public NDArray convWeight(NDArray loaded) {
        if (!CL) {
            return weight(loaded);
        }
        return convert("w.to(" + BF16 + ", False, True, " + CHANNELS_LAST + ")", loaded);
    }

    @Override
    public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        String in = CL ? "x.to(" + BF16 + ").contiguous(memory_format=" + CHANNELS_LAST + ")" : "x.to(" + BF16 + ")";
        return run("x,w,b", "torch.conv2d(" + in + ", w, b, [" + stride + ", " + stride + "], [" + padding + ", "
                + padding + "])", x.getManager(), x, weight, bias);
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null ? run("x,w", "torch.linear(x.to(" + BF16 + "), w)", x.getManager(), x, weight)
                : run("x,w,b", "torch.linear(x.to(" + BF16 + "), w, b)", x.getManager(), x, weight, bias);
    }

    @Override
    public NDArray norm(NDArray x, int groups, NDArray weight, NDArray bias, float eps, boolean silu) {
        String e = ScriptKernels.number(eps);
        if (NATIVE_NORM && groups > 0) {
            String gn = "torch.group_norm(x.to(" + BF16 + "), " + groups + ", w, b, " + e + ")";
            return run("x,w,b", silu ? "torch.silu_(" + gn + ")" : gn, x.getManager(), x, weight, bias);
        }
        String norm = groups > 0 ? "torch.group_norm(x.float(), " + groups + ", w, b, " + e + ")"
                : "torch.layer_norm(x.float(), [x.size(-1)], w, b, " + e + ")";
        return run("x,w,b", (silu ? "torch.silu(" + norm + ")" : norm) + ".to(" + BF16 + ")", x.getManager(), x, weight,
                bias);
    }

    @Override
    public NDArray attention(NDArray q, NDArray k, NDArray v, int heads, long maxScores) {
        // libtorch's fused kernel (softmax accumulated in float32) never holds the score matrix: maxScores
        // does not apply
        Shape s = q.getShape();
        NDArray out = run("q,k,v", "torch.scaled_dot_product_attention(q.to(" + BF16 + "), k.to(" + BF16 + "), v.to("
                + BF16 + "))", q.getManager(), heads(q, heads), heads(k, heads), heads(v, heads));
        return out.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(1), s.get(2));
    }

    /** (B, L, heads*d) -> a (B, heads, L, d) view. */
    private static NDArray heads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    @Override
    public NDArray toFloat32(NDArray x) {
        return run("x", "x.float().contiguous()", x.getManager(), x);
    }
}
