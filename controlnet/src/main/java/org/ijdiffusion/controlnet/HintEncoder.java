package org.ijdiffusion.controlnet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.Ops;
import org.ijdiffusion.diffusion.nn.Params;
import org.ijdiffusion.diffusion.nn.Conv2dLayer;

/**
 * ControlNet's hint encoder ({@code input_hint_block.{0,2,..}}): 3x3 convolutions with SiLU between
 * them that bring the RGB hint down 8x to the latent grid. Layout: a first conv, then pairs of
 * (same-size conv, stride-2 conv), then the zero-initialised output conv; sizes come from the weights.
 */
final class HintEncoder {
    private final List<Conv2dLayer> convs;

    private HintEncoder(List<Conv2dLayer> convs) {
        this.convs = convs;
    }

    static HintEncoder load(Params p) {
        List<Conv2dLayer> convs = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; p.has(i + ".weight"); i += 2) {
            indices.add(i);
        }
        int n = indices.size();
        if (n < 3 || n % 2 != 0) {
            throw new ModelFileException("The ControlNet hint encoder (input_hint_block) has " + n
                    + " convolutions; expected a first conv, pairs of convs and an output conv.");
        }
        for (int k = 0; k < n; k++) {
            Params c = p.at(String.valueOf(indices.get(k)));
            long[] s = c.shape("weight");
            boolean down = k > 0 && k < n - 1 && k % 2 == 0;
            convs.add(Conv2dLayer.load(c, s[0], s[1], (int) s[2], down ? 2 : 1));
        }
        return new HintEncoder(convs);
    }

    NDArray forward(NDArray hint) {
        NDArray h = hint;
        for (int k = 0; k < convs.size(); k++) {
            h = convs.get(k).forward(h);
            if (k < convs.size() - 1) {
                h = Ops.silu(h);
            }
        }
        return h;
    }
}
