package org.ijdiffusion.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.WeightSource;

/**
 * A component's weights with LoRAs merged in as each tensor is loaded:
 * {@code W' = W + sum_i m_i * (alpha_i / rank_i) * up_i @ down_i}, the product reshaped to W's shape
 * (linear layers, 1x1 convolutions, LoCon 3x3 convolutions whose down weight is [rank, in, 3, 3]).
 * The base tensor is never modified: the sum is a new array. Tensors no LoRA touches are the base's.
 */
public final class LoraWeights implements WeightSource {
    /** One LoRA module adapting one base tensor, with its merge factor m * alpha / rank. */
    private record Patch(LoraFile file, LoraFile.Module module, double scale) {
    }

    private final WeightSource base;
    private final Map<String, List<Patch>> patches = new LinkedHashMap<>();

    private LoraWeights(WeightSource base) {
        this.base = base;
    }

    /** What {@link #of} did with one file's modules of this component. */
    public record Applied(int merged, List<String> unmatched) {
    }

    /** The base weights plus nothing yet; add LoRAs with {@link #add}. */
    public static LoraWeights of(WeightSource base) {
        return new LoraWeights(base);
    }

    /**
     * Adds the modules of {@code file} that belong to this component (per {@code keys}) at multiplier
     * {@code m}. A multiplier of 0 adds nothing. Returns how many modules were merged and which of the
     * component's modules matched no base tensor.
     */
    public Applied add(LoraFile file, LoraKeys keys, double m) {
        List<String> unmatched = keys.unmatched(file.modules().keySet());
        int merged = 0;
        for (LoraFile.Module mod : file.modules().values()) {
            String target = keys.internal(mod.name());
            if (target == null) {
                continue;
            }
            checkShape(file, mod, target);
            merged++;
            if (m != 0) {
                double scale = m * file.alpha(mod) / file.rank(mod);
                patches.computeIfAbsent(target, k -> new ArrayList<>()).add(new Patch(file, mod, scale));
            }
        }
        return new Applied(merged, Collections.unmodifiableList(unmatched));
    }

    private void checkShape(LoraFile file, LoraFile.Module mod, String target) {
        long[] w = base.shape(target);
        long[] down = file.tensors().info(mod.down()).shape();
        long[] up = file.tensors().info(mod.up()).shape();
        long rank = down[0];
        long in = product(down) / rank;
        long out = up[0];
        boolean ok = up.length >= 2 && up[1] == rank && product(up) == out * rank && product(w) == out * in
                && w[0] == out;
        if (!ok) {
            throw new ModelFileException("LoRA " + file.path().getFileName() + ": module " + mod.name() + " (down "
                    + Arrays.toString(down) + ", up " + Arrays.toString(up) + ") does not fit the model's "
                    + target + " " + Arrays.toString(w) + ". The LoRA was made for another model family"
                    + " (SD2/SDXL?); use one made for SD1.x.");
        }
    }

    private static long product(long[] s) {
        long p = 1;
        for (long d : s) {
            p *= d;
        }
        return p;
    }

    /** Base tensors that at least one LoRA changes. */
    public Set<String> patched() {
        return Collections.unmodifiableSet(patches.keySet());
    }

    @Override
    public Set<String> names() {
        return base.names();
    }

    @Override
    public long[] shape(String name) {
        return base.shape(name);
    }

    /** Tensors no LoRA patches come from the base as stored (merged ones are float32). */
    @Override
    public NDArray loadCompact(String name, NDManager manager) {
        return patches.containsKey(name) ? load(name, manager) : base.loadCompact(name, manager);
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        NDArray w = base.load(name, manager);
        List<Patch> ps = patches.get(name);
        if (ps == null) {
            return w;
        }
        Shape shape = w.getShape();
        NDArray sum = w;
        for (Patch p : ps) {
            try (NDManager tmp = manager.newSubManager()) {
                NDArray down = p.file().tensors().toFloat32(p.module().down(), tmp);
                NDArray up = p.file().tensors().toFloat32(p.module().up(), tmp);
                long rank = down.getShape().get(0);
                NDArray delta = up.reshape(up.getShape().get(0), rank).matMul(down.reshape(rank, -1))
                        .mul((float) p.scale()).reshape(shape);
                NDArray next = sum.add(delta);
                next.attach(manager);
                if (sum != w) {
                    sum.close();
                }
                sum = next;
            }
        }
        w.close();
        return sum;
    }

    @Override
    public String origin() {
        return base.origin() + " + LoRA";
    }
}
