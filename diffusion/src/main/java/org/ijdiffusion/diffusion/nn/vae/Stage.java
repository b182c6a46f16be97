package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The residual blocks of one resolution level ({@code block.M}), each optionally followed by
 * attention ({@code attn.M}). Encoder and decoder levels share this; the resampling convs are theirs.
 */
final class Stage {
    final ResnetBlock[] block;
    final AttnBlock[] attn;
    final int outChannels;

    Stage(Params p, int count, int in, int out, boolean attention, VaeConfig c) {
        block = new ResnetBlock[count];
        attn = new AttnBlock[count];
        for (int m = 0; m < count; m++) {
            block[m] = new ResnetBlock(p.at("block." + m), m == 0 ? in : out, out, c);
            if (attention) {
                attn[m] = new AttnBlock(p.at("attn." + m), out, c);
            }
        }
        outChannels = out;
    }

    /** The blocks and attentions in running order (for {@link ForwardScope#chain}). */
    List<UnaryOperator<NDArray>> layers() {
        List<UnaryOperator<NDArray>> out = new ArrayList<>();
        for (int m = 0; m < block.length; m++) {
            out.add(block[m]::forward);
            if (attn[m] != null) {
                out.add(attn[m]::forward);
            }
        }
        return out;
    }
}
