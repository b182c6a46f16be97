package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.text.PromptConditioner;
import org.ijdiffusion.diffusion.text.PromptPlan;
import org.ijdiffusion.diffusion.text.PromptSchedule;

/**
 * The text conditioning of every UNet call: the batch [uncond x B (when guided), part 1 x B, ...,
 * part k x B] for sampling call {@code s}, built from the schedule entries in force at {@code s}
 * (A1111's {@code reconstruct_cond_batch} / {@code reconstruct_multicond_batch}). Each distinct text is
 * encoded once, before sampling. Parts of different lengths are padded with their last vector (as
 * A1111); prompt and negative prompt of different lengths with empty-prompt chunks (as this engine's
 * plain prompts, A1111's "pad prompt/negative prompt to be same length").
 */
final class PromptContexts {
    private final int batch;
    private final boolean guided;
    private final double[] weights;
    private final NDArray fixed;
    private final PromptPlan plan;
    private final Map<String, NDArray> positive;
    private final Map<String, NDArray> negative;
    private final NDArray emptyPositive;
    private final NDArray emptyNegative;
    private int[] lastKey;
    private NDArray last;

    private PromptContexts(int batch, boolean guided, double[] weights, NDArray fixed, PromptPlan plan,
            Map<String, NDArray> positive, Map<String, NDArray> negative, NDArray emptyPositive, NDArray emptyNegative) {
        this.batch = batch;
        this.guided = guided;
        this.weights = weights;
        this.fixed = fixed;
        this.plan = plan;
        this.positive = positive;
        this.negative = negative;
        this.emptyPositive = emptyPositive;
        this.emptyNegative = emptyNegative;
    }

    /** One context for every call: [2B or B, L, D] (uncond first when guided). */
    static PromptContexts fixed(NDArray context, int batch, boolean guided) {
        return new PromptContexts(batch, guided, new double[] {1.0}, context, null, null, null, null, null);
    }

    /**
     * Encodes every distinct text of {@code plan} (prompt with {@code clipSkip}, negative prompt with
     * {@code negativeClipSkip}) into {@code m}. Guided when {@code cfgGuided} or the parts are more than a
     * single part of weight 1 (composable diffusion needs the uncond prediction even at cfg 1).
     */
    static PromptContexts scheduled(PromptPlan plan, PromptConditioner conditioner, int clipSkip, int negativeClipSkip,
            int batch, boolean cfgGuided, NDManager m) {
        List<PromptPlan.Part> parts = plan.parts();
        double[] weights = parts.stream().mapToDouble(PromptPlan.Part::weight).toArray();
        boolean guided = cfgGuided || parts.size() > 1 || weights[0] != 1.0;
        Map<String, NDArray> pos = new HashMap<>();
        for (String t : plan.positiveTexts()) {
            pos.put(t, conditioner.encode(t, clipSkip, m).embedding());
        }
        Map<String, NDArray> neg = new HashMap<>();
        NDArray emptyNeg = null;
        if (guided) {
            for (String t : plan.negativeTexts()) {
                neg.put(t, conditioner.encode(t, negativeClipSkip, m).embedding());
            }
            emptyNeg = conditioner.encode("", negativeClipSkip, m).embedding();
        }
        NDArray emptyPos = conditioner.encode("", clipSkip, m).embedding();
        return new PromptContexts(batch, guided, weights, null, plan, pos, neg, emptyPos, emptyNeg);
    }

    boolean guided() {
        return guided;
    }

    /** Number of conditional parts (1 for a plain prompt). */
    int parts() {
        return weights.length;
    }

    double weight(int part) {
        return weights[part];
    }

    /** A single part of weight 1: guidance is the plain {@code u + cfg * (c - u)}. */
    boolean single() {
        return weights.length == 1 && weights[0] == 1.0;
    }

    /**
     * The context of sampling call {@code call} (0-based). Kept until the texts change, so it outlives the
     * step's scope; the previous one is closed when replaced.
     */
    NDArray context(int call) {
        if (fixed != null) {
            return fixed;
        }
        List<PromptPlan.Part> parts = plan.parts();
        int[] key = new int[parts.size() + 1];
        key[0] = plan.negative().indexAt(call);
        for (int i = 0; i < parts.size(); i++) {
            key[i + 1] = parts.get(i).schedule().indexAt(call);
        }
        if (last != null && Arrays.equals(key, lastKey)) {
            return last;
        }
        NDArray built = build(key);
        NDScope.unregister(built);
        if (last != null) {
            last.close();
        }
        last = built;
        lastKey = key;
        return built;
    }

    /** First entries of every schedule (for the tap). */
    NDArray firstPositive() {
        return fixed != null ? null : positive.get(plan.parts().get(0).schedule().entries().get(0).text());
    }

    private NDArray build(int[] key) {
        List<PromptPlan.Part> parts = plan.parts();
        NDArray[] conds = new NDArray[parts.size()];
        long len = 0;
        for (int i = 0; i < conds.length; i++) {
            PromptSchedule s = parts.get(i).schedule();
            conds[i] = positive.get(s.entries().get(key[i + 1]).text());
            len = Math.max(len, conds[i].getShape().get(1));
        }
        for (int i = 0; i < conds.length; i++) {
            long short_ = len - conds[i].getShape().get(1);
            if (short_ > 0) {
                NDArray lastVector = conds[i].get(":, -1:, :").repeat(1, short_);
                conds[i] = NDArrays.concat(new NDList(conds[i], lastVector), 1);
            }
        }
        NDList all = new NDList();
        if (guided) {
            NDArray u = negative.get(plan.negative().entries().get(key[0]).text());
            long ul = u.getShape().get(1);
            if (ul < len) {
                u = pad(u, emptyNegative, len);
            } else if (ul > len) {
                for (int i = 0; i < conds.length; i++) {
                    conds[i] = pad(conds[i], emptyPositive, ul);
                }
            }
            all.add(repeat(u));
        }
        for (NDArray c : conds) {
            all.add(repeat(c));
        }
        return all.size() == 1 ? all.get(0).duplicate() : NDArrays.concat(all, 0);
    }

    private static NDArray pad(NDArray x, NDArray empty, long len) {
        long chunks = (len - x.getShape().get(1)) / empty.getShape().get(1);
        return NDArrays.concat(new NDList(x, chunks == 1 ? empty : empty.tile(1, chunks)), 1);
    }

    private NDArray repeat(NDArray x) {
        return batch == 1 ? x : x.repeat(0, batch);
    }
}
