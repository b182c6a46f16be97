package org.ijdiffusion.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The weight change one module makes, as A1111's built-in Lora extension computes it
 * ({@code network_lora.py}, {@code network_hada.py}, {@code network_lokr.py}, {@code network_ia3.py},
 * {@code network_full.py}, {@code network.py} {@code finalize_updown}), before the user's multiplier:
 * <ul>
 * <li>LoRA/LoCon: {@code up @ down} (both flattened to matrices); CP LoCon:
 * {@code sum_nm up[i,n] mid[n,m,k,l] down[m,j]};</li>
 * <li>LoHa: {@code (w1a @ w1b) * (w2a @ w2b)} element-wise (CP halves with {@code hada_t1/t2});</li>
 * <li>LoKr: {@code kron(w1, w2)}, each half stored whole or as a product (w2 also CP with {@code lokr_t2});</li>
 * <li>IA3: {@code W * w}, w per output row, or per input column when {@code on_input};</li>
 * <li>full: {@code diff} (and {@code diff_b} for the bias, by the multiplier only).</li>
 * </ul>
 * Each is reshaped to W's shape and multiplied by the module's scale ({@link LoraFile#scale}); with
 * {@code dora_scale} (DoRA) the result is then {@code (W + d) * dora_scale / ||W + d|| - W}, the norm taken
 * per input channel (over every axis but 1) as A1111's {@code apply_weight_decompose} does.
 */
final class LoraDelta {
    private LoraDelta() {
    }

    /** The shape the module's change has before it is reshaped to the target's (for fit checks). */
    static long[] shape(LoraFile f, LoraFile.Module m, long[] target) {
        switch (m.kind()) {
            case LORA: {
                long[] down = f.shape(m, "lora_down.weight");
                long[] up = f.shape(m, "lora_up.weight");
                if (up.length < 2 || up[1] != down[0] || count(up) != up[0] * up[1]) {
                    return null;
                }
                return new long[] {up[0], count(down) / down[0]};
            }
            case LORA_CP: {
                long[] mid = f.shape(m, "lora_mid.weight");
                long[] up = f.shape(m, "lora_up.weight");
                long[] down = f.shape(m, "lora_down.weight");
                if (mid.length != 4 || count(up) != up[0] * mid[0] || count(down) != down[0] * (count(down) / down[0])
                        || down[0] != mid[1]) {
                    return null;
                }
                return new long[] {up[0], count(down) / down[0], mid[2], mid[3]};
            }
            case LOHA: {
                long[] a = half(f, m, "hada_w1_a", "hada_w1_b", "hada_t1");
                long[] b = half(f, m, "hada_w2_a", "hada_w2_b", "hada_t2");
                return a != null && Arrays.equals(a, b) ? a : null;
            }
            case LOKR: {
                long[] w1 = m.has("lokr_w1") ? f.shape(m, "lokr_w1") : product(f, m, "lokr_w1_a", "lokr_w1_b");
                long[] w2 = m.has("lokr_w2") ? f.shape(m, "lokr_w2") : m.has("lokr_t2")
                        ? cpShape(f, m, "lokr_w2_a", "lokr_w2_b", "lokr_t2") : product(f, m, "lokr_w2_a", "lokr_w2_b");
                if (w1 == null || w2 == null || w1.length != 2) {
                    return null;
                }
                return new long[] {w1[0] * w2[0], w1[1] * count(w2) / w2[0]};
            }
            case IA3: {
                long n = count(f.shape(m, "weight"));
                boolean onInput = onInput(f, m);
                return target.length == 2 && n == target[onInput ? 1 : 0] ? target : null;
            }
            case FULL:
                return f.shape(m, "diff");
            default:
                throw new IllegalStateException(m.kind().toString());
        }
    }

    private static long[] half(LoraFile f, LoraFile.Module m, String a, String b, String t) {
        return m.has(t) ? cpShape(f, m, a, b, t) : product(f, m, a, b);
    }

    /** Shape of a @ b for a [p, r] and b [r, q(, ...)] flattened: [p, q...]. */
    private static long[] product(LoraFile f, LoraFile.Module m, String a, String b) {
        long[] x = f.shape(m, a);
        long[] y = f.shape(m, b);
        if (x.length != 2 || x[1] != y[0]) {
            return null;
        }
        return new long[] {x[0], count(y) / y[0]};
    }

    /** Shape of the CP rebuild of t [r1, r2, k, l] with wa [r1, out] and wb [r2, in]. */
    private static long[] cpShape(LoraFile f, LoraFile.Module m, String a, String b, String t) {
        long[] wa = f.shape(m, a);
        long[] wb = f.shape(m, b);
        long[] tt = f.shape(m, t);
        if (tt.length != 4 || wa.length != 2 || wa[0] != tt[0] || wb[0] != tt[1]) {
            return null;
        }
        return new long[] {wa[1], count(wb) / wb[0], tt[2], tt[3]};
    }

    /** IA3's {@code on_input} flag (stored as a bool, integer or float scalar). */
    private static boolean onInput(LoraFile f, LoraFile.Module m) {
        String t = m.tensor("on_input");
        return f.tensors().info(t).dtype().isFloating() ? f.tensors().floats(t)[0] != 0 : f.tensors().longs(t)[0] != 0;
    }

    static long count(long[] s) {
        long p = 1;
        for (long d : s) {
            p *= d;
        }
        return p;
    }

    /** The module's change of {@code weight} (the target's current value), scaled, DoRA applied, shaped as it. */
    static NDArray updown(LoraFile f, LoraFile.Module m, NDArray weight, NDManager tmp) {
        Shape shape = weight.getShape();
        NDArray d;
        switch (m.kind()) {
            case LORA:
                d = matrix(load(f, m, "lora_up.weight", tmp)).matMul(matrix(load(f, m, "lora_down.weight", tmp)));
                break;
            case LORA_CP:
                d = cp(matrix(load(f, m, "lora_up.weight", tmp)), matrix(load(f, m, "lora_down.weight", tmp)),
                        load(f, m, "lora_mid.weight", tmp));
                break;
            case LOHA:
                d = lohaHalf(f, m, "hada_w1_a", "hada_w1_b", "hada_t1", tmp).reshape(shape)
                        .mul(lohaHalf(f, m, "hada_w2_a", "hada_w2_b", "hada_t2", tmp).reshape(shape));
                break;
            case LOKR:
                d = kron(lokrW1(f, m, tmp), lokrW2(f, m, tmp));
                break;
            case IA3: {
                NDArray w = load(f, m, "weight", tmp);
                d = weight.mul(onInput(f, m) ? w.reshape(1, -1) : w.reshape(-1, 1));
                break;
            }
            case FULL:
                d = load(f, m, "diff", tmp);
                break;
            default:
                throw new IllegalStateException(m.kind().toString());
        }
        d = d.reshape(shape).mul((float) f.scale(m));
        if (m.dora()) {
            d = dora(f, m, weight, d, tmp);
        }
        return d;
    }

    /** The bias change of a full module ({@code diff_b}), or null. */
    static NDArray biasDelta(LoraFile f, LoraFile.Module m, NDManager tmp) {
        return m.has("diff_b") ? load(f, m, "diff_b", tmp) : null;
    }

    private static NDArray lohaHalf(LoraFile f, LoraFile.Module m, String a, String b, String t, NDManager tmp) {
        NDArray wa = load(f, m, a, tmp);
        NDArray wb = matrix(load(f, m, b, tmp));
        return m.has(t) ? cp(wa.transpose(), wb, load(f, m, t, tmp)) : matrix(wa).matMul(wb);
    }

    private static NDArray lokrW1(LoraFile f, LoraFile.Module m, NDManager tmp) {
        return m.has("lokr_w1") ? load(f, m, "lokr_w1", tmp)
                : load(f, m, "lokr_w1_a", tmp).matMul(matrix(load(f, m, "lokr_w1_b", tmp)));
    }

    private static NDArray lokrW2(LoraFile f, LoraFile.Module m, NDManager tmp) {
        if (m.has("lokr_w2")) {
            return load(f, m, "lokr_w2", tmp);
        }
        NDArray a = load(f, m, "lokr_w2_a", tmp);
        NDArray b = matrix(load(f, m, "lokr_w2_b", tmp));
        return m.has("lokr_t2") ? cp(a.transpose(), b, load(f, m, "lokr_t2", tmp)) : a.matMul(b);
    }

    /** result[i,j,k,l] = sum_{n,m} up[i,n] mid[n,m,k,l] down[m,j]. */
    private static NDArray cp(NDArray up, NDArray down, NDArray mid) {
        NDArray spatialFirst = mid.transpose(2, 3, 0, 1);
        return up.matMul(spatialFirst).matMul(down).transpose(2, 3, 0, 1);
    }

    /** The Kronecker product of a [a, b] and w [c, d(, k, l)]: [a*c, b*d(, k, l)]. */
    private static NDArray kron(NDArray a, NDArray w) {
        long[] x = a.getShape().getShape();
        long[] y = w.getShape().getShape();
        if (x.length != 2 || (y.length != 2 && y.length != 4)) {
            throw new ModelFileException("LoKr halves of shapes " + Arrays.toString(x) + " and " + Arrays.toString(y)
                    + " are not supported");
        }
        if (y.length == 2) {
            return a.reshape(x[0], 1, x[1], 1).mul(w.reshape(1, y[0], 1, y[1])).reshape(x[0] * y[0], x[1] * y[1]);
        }
        return a.reshape(x[0], 1, x[1], 1, 1, 1).mul(w.reshape(1, y[0], 1, y[1], y[2], y[3]))
                .reshape(x[0] * y[0], x[1] * y[1], y[2], y[3]);
    }

    /** A1111's DoRA: (W + d) rescaled per input channel to dora_scale's magnitude, minus W. */
    private static NDArray dora(LoraFile f, LoraFile.Module m, NDArray weight, NDArray d, NDManager tmp) {
        long[] s = weight.getShape().getShape();
        long[] keep = new long[s.length];
        Arrays.fill(keep, 1);
        keep[1] = s[1];
        int[] axes = new int[s.length - 1];
        for (int i = 0, k = 0; i < s.length; i++) {
            if (i != 1) {
                axes[k++] = i;
            }
        }
        NDArray merged = weight.add(d);
        NDArray norm = merged.square().sum(axes, true).sqrt();
        NDArray magnitude = load(f, m, "dora_scale", tmp).reshape(new Shape(keep));
        return merged.mul(magnitude.div(norm)).sub(weight);
    }

    private static NDArray matrix(NDArray x) {
        return x.reshape(x.getShape().get(0), -1);
    }

    private static NDArray load(LoraFile f, LoraFile.Module m, String part, NDManager tmp) {
        return f.tensors().toFloat32(m.tensor(part), tmp);
    }
}
