package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * libtorch kernels that DJL's op set does not reach, compiled once from the TorchScript held here
 * ({@link TorchScriptModule}):
 * <ul>
 * <li>{@code attention}: {@code torch.scaled_dot_product_attention}, the fused CPU kernel that works
 * through blocks of queries and keys with a running softmax, so the (queries x keys) score matrix is
 * never written out. At 512x512 the UNet's 64x64 self-attention (8 heads, 4096 positions) takes about a
 * fifth of the time of batched matmul + softmax + matmul.</li>
 * <li>{@code linear}: oneDNN's inner product ({@code mkldnn::_linear_pointwise}). libtorch's own float32
 * matmul goes to MKL, which takes its AVX2 path on AMD CPUs; oneDNN uses AVX-512 where the CPU has it,
 * about twice the rate on this machine's linear layers.</li>
 * <li>{@code silu}: torch's own kernel, one pass (composed, SiLU is a sigmoid and a product). torch's
 * group norm is not used: on the tiny reference UNet it moved the golden difference from 5e-6 to
 * 1.5e-5 (over the 1e-5 tolerance), where the composed one (a layer norm per group) stays within.</li>
 * </ul>
 * Used unless the system property {@code ijd.kernels} is {@code composed}, or the module cannot be
 * compiled on this engine: then {@link #available()} is false and callers use DJL's ops.
 */
public final class FusedOps {
    /** {@code -Dijd.kernels=composed} selects DJL's ops (batched matmuls and softmax; MKL matmul). */
    public static final String PROPERTY = "ijd.kernels";

    private static final String SOURCE = ""
            + "  def attention(self: __torch__.Kernels,\n"
            + "    q: Tensor,\n"
            + "    k: Tensor,\n"
            + "    v: Tensor) -> Tensor:\n"
            + "    return torch.scaled_dot_product_attention(q, k, v)\n"
            + "  def linear(self: __torch__.Kernels,\n"
            + "    x: Tensor,\n"
            + "    w: Tensor,\n"
            + "    b: Tensor) -> Tensor:\n"
            + "    return ops.mkldnn._linear_pointwise(x, w, b, \"none\", annotate(List[Optional[number]], []), None)\n"
            + "  def linear_no_bias(self: __torch__.Kernels,\n"
            + "    x: Tensor,\n"
            + "    w: Tensor) -> Tensor:\n"
            + "    return ops.mkldnn._linear_pointwise(x, w, None, \"none\", annotate(List[Optional[number]], []), None)\n"
            + "  def upcast_into(self: __torch__.Kernels,\n"
            + "    src: Tensor,\n"
            + "    scratch: Tensor) -> Tensor:\n"
            + "    out = scratch[:src.numel()].view(src.size())\n"
            + "    return out.copy_(src)\n"
            + "  def silu(self: __torch__.Kernels,\n"
            + "    x: Tensor) -> Tensor:\n"
            + "    return torch.silu(x)\n";

    private static final Object LOCK = new Object();
    private static TorchScriptModule module;
    private static boolean tried;
    private static String failure;

    private FusedOps() {
    }

    /** Whether the kernels are selected and could be compiled. */
    public static boolean available() {
        if ("composed".equalsIgnoreCase(System.getProperty(PROPERTY, "fused"))) {
            return false;
        }
        return module() != null;
    }

    /** "fused" or "composed" (with the reason when the kernels could not be compiled): for reports. */
    public static String describe() {
        if (available()) {
            return "fused";
        }
        return failure == null ? "composed" : "composed (fused kernels unavailable: " + failure + ")";
    }

    /**
     * softmax(q k^T / sqrt(d)) v for q [B, heads, Lq, d], k and v [B, heads, Lk, d] (any strides);
     * returns [B, heads, Lq, d], attached to q's manager. Only call when {@link #available()}.
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v) {
        return require().run("attention", q.getManager(), q, k, v);
    }

    /**
     * x W^T + b over the last axis (b may be null), attached to x's manager. Only call when
     * {@link #available()}.
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        TorchScriptModule m = require();
        return bias == null ? m.run("linear_no_bias", x.getManager(), x, weight)
                : m.run("linear", x.getManager(), x, weight, bias);
    }

    /**
     * {@code src} converted to the type of {@code scratch} (a 1-D array of at least src's size) into
     * scratch's first elements, as a view of src's shape: no allocation. Only call when
     * {@link #available()}; the view is valid until scratch is written again.
     */
    public static NDArray convertInto(NDArray src, NDArray scratch) {
        return require().run("upcast_into", src.getManager(), src, scratch);
    }

    /** x * sigmoid(x) in one pass, a new array. Only call when {@link #available()}. */
    public static NDArray silu(NDArray x) {
        return require().run("silu", x.getManager(), x);
    }

    private static TorchScriptModule require() {
        TorchScriptModule m = module();
        if (m == null) {
            throw new IllegalStateException("the fused kernels are unavailable: " + failure);
        }
        return m;
    }

    private static TorchScriptModule module() {
        synchronized (LOCK) {
            if (!tried) {
                tried = true;
                try {
                    module = TorchScriptModule.compile("Kernels", SOURCE);
                } catch (RuntimeException | LinkageError e) {
                    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            return module;
        }
    }
}
