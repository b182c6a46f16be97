package org.ijdiffusion.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * {@code W' = W + m_1 * d_1(W) + ...}, each module's change {@code d} computed by {@link LoraDelta} from the
 * weight as the LoRAs before it left it (A1111 applies its networks one after another: IA3 and DoRA depend
 * on the current weight), full modules' {@code diff_b} added to the bias. The base tensor is never
 * modified: the sum is a new array. Tensors no LoRA touches are the base's.
 */
public final class LoraWeights implements WeightSource {
    /** One LoRA module adapting one base tensor (its weight, or the bias for {@code diff_b}) at multiplier m. */
    private record Patch(LoraFile file, LoraFile.Module module, double m, boolean bias) {
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
            String bias = biasOf(file, mod, target);
            checkShape(file, mod, target);
            merged++;
            if (m != 0) {
                patches.computeIfAbsent(target, k -> new ArrayList<>()).add(new Patch(file, mod, m, false));
                if (bias != null) {
                    patches.computeIfAbsent(bias, k -> new ArrayList<>()).add(new Patch(file, mod, m, true));
                }
            }
        }
        return new Applied(merged, Collections.unmodifiableList(unmatched));
    }

    /** The bias a full module's {@code diff_b} changes (checked to exist and fit), or null. */
    private String biasOf(LoraFile file, LoraFile.Module mod, String target) {
        if (!mod.has("diff_b")) {
            return null;
        }
        String bias = target.substring(0, target.length() - ".weight".length()) + ".bias";
        long[] d = file.shape(mod, "diff_b");
        if (!base.has(bias) || LoraDelta.count(d) != LoraDelta.count(base.shape(bias))) {
            throw new ModelFileException("LoRA " + file.path().getFileName() + ": module " + mod.name() + " changes"
                    + " the bias of " + target + " (diff_b " + Arrays.toString(d) + ") but that layer "
                    + (base.has(bias) ? "has a bias of shape " + Arrays.toString(base.shape(bias)) : "has no bias")
                    + ". Nothing of the file was merged.");
        }
        return bias;
    }

    private void checkShape(LoraFile file, LoraFile.Module mod, String target) {
        long[] w = base.shape(target);
        long[] d = LoraDelta.shape(file, mod, w);
        boolean ok = d != null && w.length >= 2 && LoraDelta.count(d) == LoraDelta.count(w) && d[0] == w[0];
        String why = "";
        if (ok && mod.dora() && LoraDelta.count(file.shape(mod, "dora_scale")) != w[1]) {
            ok = false;
            why = " (dora_scale " + Arrays.toString(file.shape(mod, "dora_scale")) + " must hold one magnitude per"
                    + " input channel, as A1111 reads it)";
        }
        if (!ok) {
            StringBuilder parts = new StringBuilder();
            mod.parts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> parts
                    .append(parts.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(Arrays.toString(file.tensors().info(e.getValue()).shape())));
            throw new ModelFileException("LoRA " + file.path().getFileName() + ": " + mod.kind().display() + " module "
                    + mod.name() + " (" + parts + ") does not fit the model's " + target + " " + Arrays.toString(w)
                    + why + ". The LoRA was made for another model family (SD2/SDXL?); use one made for SD1.x.");
        }
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
        NDArray sum = w;
        for (Patch p : ps) {
            NDArray next;
            try (NDManager tmp = manager.newSubManager()) {
                sum.tempAttach(tmp);
                NDArray delta = p.bias() ? LoraDelta.biasDelta(p.file(), p.module(), tmp).reshape(sum.getShape())
                        : LoraDelta.updown(p.file(), p.module(), sum, tmp);
                next = sum.add(delta.mul((float) p.m()));
                next.attach(manager);
            }
            sum.close();
            sum = next;
        }
        return sum;
    }

    @Override
    public String origin() {
        return base.origin() + " + LoRA";
    }
}
