package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.nn.Ops;
import org.junit.jupiter.api.Test;

/** Attention computed in query-row slices equals the one-piece computation. */
class SlicedAttentionTest {
    @Test
    void slicesGiveTheSameResult() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray q = m.randomNormal(new Shape(2, 100, 32));
            NDArray k = m.randomNormal(new Shape(2, 77, 32));
            NDArray v = m.randomNormal(new Shape(2, 77, 32));
            NDArray whole = Ops.composedAttention(q, k, v, 4, null);
            // 2 x 4 x 77 scores per query row: 30 rows per slice, the last slice shorter
            NDArray sliced = Ops.slicedAttention(q, k, v, 4, 2L * 4 * 77 * 30);
            UnetFixtures.assertClose("sliced attention (4 slices)", whole, sliced);
            UnetFixtures.assertClose("attention within budget", whole,
                    Ops.slicedAttention(q, k, v, 4, CrossAttention.MAX_SCORES));
        }
    }
}
