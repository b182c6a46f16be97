package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.ijdiffusion.diffusion.io.MappedArrays;

/**
 * The channels-last memory format (NHWC strides behind the same [N, C, H, W] shape), for a network whose
 * activations stay in it end to end: libtorch's oneDNN convolutions run 1.6-4x faster on this CPU with
 * channels-last input and weight than on contiguous NCHW arrays (3x3, 64 channels, float32), and ReLU,
 * sums, tanh and nearest upsampling keep the format of their inputs. Converting at every convolution
 * loses most of the gain, so the network converts its weights once at load ({@link #weight}), its input
 * once ({@link #of}) and its result back once ({@link #contiguous}).
 *
 * <p>The fused convolutions ({@link #convRelu}, {@link #convAddRelu}) are oneDNN's convolution with the
 * ReLU (and the residual sum) applied to its float32 accumulator as it is written out
 * ({@code mkldnn::_convolution_pointwise}), without the extra passes over the activations: the numbers
 * of the separate operations on 64x64 and 512x512 inputs (bit for bit), within float32 rounding of them
 * on small ones (oneDNN may pick another kernel). float32 or bfloat16, CPU only.
 *
 * <p>DJL has no memory-format operation and does not reach the fused ones: these are TorchScript kernels
 * ({@link TorchScriptModule}), compiled at first use; {@link #available()} is false when they cannot be.
 */
public final class ChannelsLast {
    private static final Object LOCK = new Object();
    private static boolean tried;
    private static String failure;
    private static final ScriptKernels KERNELS = new ScriptKernels("ChannelsLast");
    /** No ReLU scalars, no algorithm: TorchScript's spelling of the empty optional-number list. */
    private static final String NO_SCALARS = "annotate(List[Optional[number]], []), None";

    private ChannelsLast() {
    }

    /** Whether the kernels compile on this engine (else callers stay in NCHW); compiles them once. */
    public static boolean available() {
        synchronized (LOCK) {
            if (!tried) {
                tried = true;
                try {
                    kernel("x", "x.contiguous(memory_format=2)");
                    kernel("x", "x.contiguous()");
                    kernel("x", "torch.clone(x, memory_format=2)");
                    kernel("x,w,b", convRelu(1, 1));
                    kernel("x,o,w,b", convAddRelu(1));
                } catch (RuntimeException e) {
                    failure = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
                }
            }
            return failure == null;
        }
    }

    /** Why {@link #available()} is false (null when it is true). */
    public static String failure() {
        available();
        return failure;
    }

    /** {@code x} in channels-last strides (x's own tensor when it already is), in x's manager. */
    public static NDArray of(NDArray x) {
        // torch.channels_last is MemoryFormat 2 in TorchScript's numbering
        return run("x", "x.contiguous(memory_format=2)", x);
    }

    /** {@code x} in contiguous NCHW strides, as every other part of the engine expects its arrays. */
    public static NDArray contiguous(NDArray x) {
        return run("x", "x.contiguous()", x);
    }

    /**
     * A convolution weight [out, in, k, k] held in channels-last strides, converted once: a new array in
     * the loaded one's manager; {@code loaded} (which may alias a file mapping) is released.
     */
    public static NDArray weight(NDArray loaded) {
        NDArray w = run("x", "torch.clone(x, memory_format=2)", loaded); // always a copy: loaded is released
        NDScope.unregister(w); // a weight outlives any scope open while it loads
        if (!MappedArrays.release(loaded)) {
            loaded.close();
        }
        return w;
    }

    /**
     * float32 {@code x} rounded to bfloat16, in channels-last strides. The result must never be asked its
     * type: DJL aborts the JVM on bfloat16 ({@code Bf16Compute}).
     */
    public static NDArray ofBf16(NDArray x) {
        return run("x", "x.to(" + ScriptKernels.BF16 + ").contiguous(memory_format=2)", x);
    }

    /** relu(conv2d(x, w, b)) in one oneDNN pass; float32 or bfloat16 (x, w and b alike), {@code b} not null. */
    public static NDArray convRelu(NDArray x, NDArray w, NDArray b, int stride, int padding) {
        return run("x,w,b", convRelu(stride, padding), x, w, b);
    }

    /** relu(conv2d(x, w, b) + other), stride 1, in one oneDNN pass; float32 or bfloat16, {@code b} not null. */
    public static NDArray convAddRelu(NDArray x, NDArray other, NDArray w, NDArray b, int padding) {
        return run("x,o,w,b", convAddRelu(padding), x, other, w, b);
    }

    private static String convRelu(int stride, int padding) {
        return "ops.mkldnn._convolution_pointwise(x, w, b, " + pair(padding) + ", " + pair(stride) + ", [1, 1], 1, \"relu\", "
                + NO_SCALARS + ")";
    }

    private static String convAddRelu(int padding) {
        return "ops.mkldnn._convolution_pointwise(x, o, w, b, " + pair(padding) + ", [1, 1], [1, 1], 1, \"add\", None, "
                + "\"relu\", " + NO_SCALARS + ")";
    }

    private static String pair(int v) {
        return "[" + v + ", " + v + "]";
    }

    private static NDArray run(String params, String body, NDArray... args) {
        if (!available()) {
            throw new IllegalStateException("channels-last kernels unavailable: " + failure);
        }
        return KERNELS.run(params, body, args[0].getManager(), args);
    }

    private static void kernel(String params, String body) {
        KERNELS.kernel(params, body);
    }
}
