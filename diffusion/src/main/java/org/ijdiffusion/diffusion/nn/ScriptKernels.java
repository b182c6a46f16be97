package org.ijdiffusion.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small TorchScript kernels, {@code forward(params) -> body}, compiled at their first use and kept by
 * their source: for the libtorch ops and memory formats DJL's op set does not reach (bfloat16,
 * channels-last). Each kernel's constants (stride, padding, groups, eps) are written into its source.
 * {@code forward} is the one method DJL runs outside libtorch's inference mode, so later in-place ops
 * (residual sums, the samplers) may update its results.
 */
final class ScriptKernels {
    /** TorchScript's ScalarType numbers: torch.bfloat16 is 15, torch.float32 6. */
    static final String BF16 = "15";
    static final String F32 = "6";
    /** TorchScript's MemoryFormat number of torch.channels_last. */
    static final String CHANNELS_LAST = "2";

    private final String className;
    private final Map<String, TorchScriptModule> kernels = new ConcurrentHashMap<>();

    /** Kernels compiled as classes named {@code className} (a TorchScript identifier). */
    ScriptKernels(String className) {
        this.className = className;
    }

    /** The kernel {@code forward(params) -> body}, {@code params} comma-separated tensor names. */
    TorchScriptModule kernel(String params, String body) {
        String source = "  def forward(self: __torch__." + className + ",\n    " + params.replace(",", ": Tensor,")
                + ": Tensor) -> Tensor:\n" + "    return " + body + "\n";
        return kernels.computeIfAbsent(source, src -> TorchScriptModule.compile(className, src));
    }

    /** Runs {@code forward(params) -> body} on {@code args}; the result belongs to {@code out}. */
    NDArray run(String params, String body, NDManager out, NDArray... args) {
        return kernel(params, body).forward(out, args);
    }

    /** {@code eps} as the decimal it was written as (1e-5f prints 1.0E-5, which TorchScript reads). */
    static String number(float eps) {
        return Float.toString(eps).toLowerCase(java.util.Locale.ROOT);
    }
}
