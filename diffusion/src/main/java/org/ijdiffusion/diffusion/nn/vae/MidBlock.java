package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDArray;
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

    NDArray forward(NDArray x) {
        x = block1.forward(x);
        if (attn1 != null) {
            x = attn1.forward(x);
        }
        return block2.forward(x);
    }
}
