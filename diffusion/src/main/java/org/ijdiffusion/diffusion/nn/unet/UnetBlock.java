package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.ForwardScope;
import ai.djl.ndarray.NDArray;
import java.util.List;

/** One numbered block ({@code input_blocks.N}, {@code middle_block}, {@code output_blocks.N}): its children in order. */
final class UnetBlock {
    private final List<UnetLayer> layers;

    UnetBlock(List<UnetLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    NDArray forward(NDArray x, NDArray emb, NDArray context, long[] outputSize) {
        NDArray h = x;
        for (UnetLayer layer : layers) {
            NDArray in = h;
            h = ForwardScope.step(() -> layer.forward(in, emb, context, outputSize));
        }
        return h;
    }
}
