package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.nn.ForwardScope;
import org.ijdiffusion.diffusion.nn.Params;

/** The VAE's middle: {@code block_1}, {@code attn_1} (when present), {@code block_2}, at constant channels. */
final class MidBlock {
    final ResnetBlock block1;
    final AttnBlock attn1;
    final ResnetBlock block2;

    MidBlock(Params p, int channels, VaeConfig c) {
        block1 = new ResnetBlock(p.at("block_1"), channels, channels, c);
        attn1 = p.has("attn_1.q.weight") ? new AttnBlock(p.at("attn_1"), channels, c) : null;
        block2 = new ResnetBlock(p.at("block_2"), channels, channels, c);
    }

    /** block_1, attn_1 (when present), block_2 (for {@link ForwardScope#chain}). */
    List<UnaryOperator<NDArray>> layers() {
        List<UnaryOperator<NDArray>> out = new ArrayList<>();
        out.add(block1::forward);
        if (attn1 != null) {
            out.add(attn1::forward);
        }
        out.add(block2::forward);
        return out;
    }
}
