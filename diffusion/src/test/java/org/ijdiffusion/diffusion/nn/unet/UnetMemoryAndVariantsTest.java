package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Set;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.junit.jupiter.api.Test;

/** Memory hygiene of a forward call, SD2-style linear projections, input checks. */
class UnetMemoryAndVariantsTest {

    @Test
    void aForwardCallLeavesOnlyItsResult() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g = UnetFixtures.golden("unet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Unet unet = UnetFixtures.unet(model, weights);
            NDArray sample = g.toFloat32("sample", m);
            NDArray context = g.toFloat32("encoder_hidden_states", m);
            int weightArrays = weights.getManagedArrays().size();
            int callerArrays = m.getManagedArrays().size();
            NDArray first = unet.forward(sample, 981f, context, null, null);
            for (int i = 0; i < 3; i++) {
                unet.forward(sample, 981f, context, null, null).close();
            }
            assertEquals(weightArrays, weights.getManagedArrays().size(), "arrays left in the weights' manager");
            assertEquals(callerArrays + 1, m.getManagedArrays().size(), "arrays left in the caller's manager");
            assertEquals(m, first.getManager());

            NDArray perSample = unet.forward(sample, m.create(new float[] {981f, 981f}), context, null, null);
            assertEquals(0f, perSample.sub(first).abs().max().getFloat(), "timesteps as an array");

            NDArray inScope;
            try (NDScope outer = new NDScope()) {
                inScope = unet.forward(sample, 981f, context, null, null);
                assertFalse(inScope.isReleased());
                outer.suppressNotUsedWarning();
            }
            assertTrue(inScope.isReleased(), "the result belongs to the caller's NDScope");
            assertEquals(weightArrays, weights.getManagedArrays().size(), "arrays left in the weights' manager");
        }
    }

    @Test
    void linearProjectionsGiveTheSameResultAsOneByOneConvolutions() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g = UnetFixtures.golden("unet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            WeightSource conv = UnetFixtures.weights(model);
            WeightSource linear = new LinearProjections(conv);
            UnetConfig c = UnetConfig.fromWeights(linear, 8);
            assertTrue(c.linearProj());
            Unet a = Unet.load(conv, UnetConfig.fromWeights(conv, 8), weights);
            Unet b = Unet.load(linear, c, weights);
            NDArray sample = g.toFloat32("sample", m);
            NDArray context = g.toFloat32("encoder_hidden_states", m);
            UnetFixtures.assertClose("linear vs conv proj_in/proj_out", a.forward(sample, 981f, context, null, null),
                    b.forward(sample, 981f, context, null, null));
        }
    }

    @Test
    void takesContextsOfAnyLength() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors");
                SafetensorsFile g = UnetFixtures.golden("unet.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Unet unet = Unet.load(UnetFixtures.weights(model), UnetConfig.fromWeights(UnetFixtures.weights(model), 8),
                    weights);
            NDArray sample = g.toFloat32("sample", m);
            NDArray context = g.toFloat32("encoder_hidden_states", m);
            // attending over every token twice gives the same weighted average
            UnetFixtures.assertClose("context of 154 tokens (77 repeated)", g.toFloat32("out", m),
                    unet.forward(sample, 981f, context.concat(context, 1), null, null));
        }
    }

    @Test
    void wrongInputsAreExplained() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15-inpaint.safetensors");
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Unet unet = UnetFixtures.unet(model, weights);
            NDArray ctx = m.zeros(new Shape(1, 77, 32));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> unet.forward(m.zeros(new Shape(1, 4, 8, 8)), 1f, ctx, null, null));
            assertTrue(e.getMessage().contains("9"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> unet.forward(m.zeros(new Shape(1, 9, 8, 8)), 1f, m.zeros(new Shape(1, 77, 768)), null, null));
        }
    }

    /** A view of UNet weights with proj_in/proj_out stored as 2-D linear weights (SD2 layout). */
    private static final class LinearProjections implements WeightSource {
        private final WeightSource base;

        LinearProjections(WeightSource base) {
            this.base = base;
        }

        private static boolean isProj(String name) {
            return name.endsWith("proj_in.weight") || name.endsWith("proj_out.weight");
        }

        @Override
        public Set<String> names() {
            return base.names();
        }

        @Override
        public long[] shape(String name) {
            long[] s = base.shape(name);
            return isProj(name) ? new long[] {s[0], s[1]} : s;
        }

        @Override
        public NDArray load(String name, NDManager manager) {
            NDArray a = base.load(name, manager);
            return isProj(name) ? a.reshape(shape(name)) : a;
        }

        @Override
        public String origin() {
            return base.origin() + " (linear projections)";
        }
    }
}
