package org.ijdiffusion.diffusion.nn.unet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.WeightSource;

/** Reads a {@link UnetConfig} from tensor names and shapes (nothing about any model size assumed). */
final class UnetConfigProbe {
    private static final String CONV_IN = "input_blocks.0.0.weight";
    private static final String CONV_OUT = "out.2.weight";
    private static final String NETWORK = "a Stable Diffusion 1.x UNet";

    private final WeightSource w;

    private UnetConfigProbe(WeightSource w) {
        this.w = w;
    }

    static UnetConfig derive(WeightSource w, int numHeads) {
        return new UnetConfigProbe(w).derive(numHeads);
    }

    private UnetConfig derive(int numHeads) {
        long[] convIn = require(CONV_IN, 4);
        int modelChannels = (int) convIn[0];
        int inChannels = (int) convIn[1];
        int outChannels = w.has(CONV_OUT) ? (int) require(CONV_OUT, 4)[0] : 0;

        List<Integer> widths = new ArrayList<>();
        List<Boolean> attention = new ArrayList<>();
        List<Integer> resCounts = new ArrayList<>();
        String firstTransformer = null;
        int width = -1;
        int count = 0;
        boolean attn = false;
        Set<Integer> blocks = w.indices("input_blocks.");
        for (int n = 1; blocks.contains(n); n++) {
            String b = "input_blocks." + n + ".";
            if (w.hasUnder(b + "0.op.")) {
                endLevel(b, count, widths, width, attention, attn, resCounts);
                count = 0;
                continue;
            }
            String res = b + "0.";
            long out = first(1, res + "in_layers.2.weight", res + "out_layers.3.weight", res + "emb_layers.1.weight",
                    res + "in_layers.2.bias", res + "out_layers.3.bias")[0];
            boolean hasAttn = w.hasUnder(b + "1.");
            if (count > 0 && (out != width || hasAttn != attn)) {
                throw unsupported("input_blocks." + n + " changes width or attention inside a level");
            }
            width = (int) out;
            attn = hasAttn;
            count++;
            if (hasAttn && firstTransformer == null) {
                firstTransformer = b + "1.";
            }
        }
        endLevel("the last input block", count, widths, width, attention, attn, resCounts);

        int numRes = resCounts.get(0);
        List<Integer> mult = new ArrayList<>();
        for (int level = 0; level < widths.size(); level++) {
            if (resCounts.get(level) != numRes) {
                throw unsupported("levels have different numbers of ResBlocks " + resCounts);
            }
            if (widths.get(level) % modelChannels != 0) {
                throw unsupported("level " + level + " width " + widths.get(level) + " is not a multiple of "
                        + modelChannels);
            }
            mult.add(widths.get(level) / modelChannels);
        }
        if (firstTransformer == null && w.hasUnder("middle_block.1.")) {
            firstTransformer = "middle_block.1.";
        }
        int contextDim = 0;
        int depth = 0;
        boolean linear = false;
        if (firstTransformer != null) {
            String attn2 = firstTransformer + "transformer_blocks.0.attn2.";
            contextDim = (int) first(2, attn2 + "to_k.weight", attn2 + "to_v.weight")[1];
            SortedSet<Integer> blocksOfFirst = w.indices(firstTransformer + "transformer_blocks.");
            depth = blocksOfFirst.isEmpty() ? 0 : blocksOfFirst.last() + 1;
            linear = first(2, firstTransformer + "proj_in.weight", firstTransformer + "proj_out.weight").length == 2;
        }
        return new UnetConfig(inChannels, outChannels, modelChannels, mult, numRes, attention, numHeads, 0,
                contextDim, depth, linear);
    }

    private void endLevel(String where, int count, List<Integer> widths, int width, List<Boolean> attention,
            boolean attn, List<Integer> resCounts) {
        if (count == 0) {
            throw unsupported(where + " closes a level that has no ResBlock");
        }
        widths.add(width);
        attention.add(attn);
        resCounts.add(count);
    }

    private long[] require(String name, int rank) {
        return w.requireShape(name, rank, NETWORK);
    }

    /** The shape of the first of several tensors that carry the same size (see {@link WeightSource#firstShape}). */
    private long[] first(int minDims, String... names) {
        return w.firstShape(minDims, NETWORK, names);
    }

    private ModelFileException unsupported(String what) {
        return new ModelFileException("Unsupported UNet layout in " + w.origin() + ": " + what + ".");
    }
}
