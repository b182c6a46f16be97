package org.ijdiffusion.diffusion.nn.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** Attention levels and layouts read from the weights, clear errors, temporaries freed. */
class VaeStructureTest {

    /** The tiny VAE plus extra tensors (here: attention after the blocks of the coarsest level). */
    static final class ExtraWeights implements WeightSource {
        private final WeightSource base;
        private final Map<String, long[]> extra = new LinkedHashMap<>();
        private final Set<String> names = new LinkedHashSet<>();

        ExtraWeights(WeightSource base) {
            this.base = base;
            names.addAll(base.names());
        }

        ExtraWeights attention(String prefix, long c, boolean convLayout) {
            long[] w = convLayout ? new long[] {c, c, 1, 1} : new long[] {c, c};
            for (String part : new String[] {"q", "k", "v", "proj_out"}) {
                add(prefix + "." + part + ".weight", w);
                add(prefix + "." + part + ".bias", new long[] {c});
            }
            add(prefix + ".norm.weight", new long[] {c});
            add(prefix + ".norm.bias", new long[] {c});
            return this;
        }

        ExtraWeights without(String name) {
            names.remove(name);
            return this;
        }

        private void add(String name, long[] shape) {
            extra.put(name, shape);
            names.add(name);
        }

        @Override
        public Set<String> names() {
            return names;
        }

        @Override
        public long[] shape(String name) {
            return extra.containsKey(name) ? extra.get(name) : base.shape(name);
        }

        @Override
        public NDArray load(String name, NDManager manager) {
            long[] s = extra.get(name);
            if (s == null) {
                return base.load(name, manager);
            }
            int n = (int) new Shape(s).size();
            float[] v = new float[n];
            Random r = new Random(name.hashCode());
            for (int i = 0; i < n; i++) {
                v[i] = name.endsWith("norm.weight") ? 1f : (float) (0.05 * r.nextGaussian());
            }
            return manager.create(v, new Shape(s));
        }

        @Override
        public String origin() {
            return "test weights";
        }
    }

    @Test
    void attentionLevelsAndBothWeightLayoutsAreRecognised() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"));
                NDManager weights = NDManager.newBaseManager(); NDManager m = NDManager.newBaseManager()) {
            ExtraWeights w = new ExtraWeights(new PrefixWeights(f, "first_stage_model."))
                    .attention("encoder.down.3.attn.0", 64, true)
                    .attention("decoder.up.3.attn.0", 64, false)
                    .attention("decoder.up.3.attn.1", 64, false);
            VaeConfig c = VaeConfig.fromWeights(w);
            assertArrayEquals(new boolean[] {false, false, false, true}, c.encoderAttention());
            assertArrayEquals(new boolean[] {false, false, false, true}, c.decoderAttention());
            Vae vae = Vae.load(w, c, weights);
            assertTrue(vae.unusedKeys().isEmpty(), () -> "unused: " + vae.unusedKeys());
            try (Gaussian g = vae.encode(m.randomUniform(-1f, 1f, new Shape(2, 3, 32, 48)))) {
                assertEquals(new Shape(2, 4, 4, 6), g.mean().getShape());
                NDArray image = vae.decode(g.mean());
                assertEquals(new Shape(2, 3, 32, 48), image.getShape());
            }
        }
    }

    @Test
    void missingTensorIsNamed() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"));
                NDManager weights = NDManager.newBaseManager()) {
            ExtraWeights w = new ExtraWeights(new PrefixWeights(f, "first_stage_model."))
                    .without("decoder.up.2.block.1.conv2.bias");
            ModelFileException e = assertThrows(ModelFileException.class, () -> Vae.load(w, weights));
            assertTrue(e.getMessage().contains("decoder.up.2.block.1.conv2.bias"), e.getMessage());
            ExtraWeights none = new ExtraWeights(new PrefixWeights(f, "no_such_prefix."));
            assertThrows(ModelFileException.class, () -> VaeConfig.fromWeights(none));
        }
    }

    @Test
    void callsLeaveOnlyTheirResults() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"));
                NDManager weights = NDManager.newBaseManager(); NDManager m = NDManager.newBaseManager()) {
            Vae vae = Vae.load(new PrefixWeights(f, "first_stage_model."), weights);
            NDArray image = m.randomUniform(-1f, 1f, new Shape(1, 3, 64, 64));
            // a first use copies float16 weights still mapped from the file into memory (a reshaped
            // view and its alias become one copy): count the weights' arrays after it
            try (NDManager warm = m.newSubManager()) {
                NDArray x = image.duplicate();
                x.attach(warm);
                vae.decode(vae.encode(x).mean());
            }
            int weightArrays = weights.getManagedArrays().size();
            int before = m.getManagedArrays().size();
            Gaussian g = vae.encode(image);
            assertEquals(before + 2, m.getManagedArrays().size());
            NDArray decoded = vae.decode(g.mean());
            assertEquals(before + 3, m.getManagedArrays().size());
            NDArray tiled = vae.decodeTiled(g.mean(), 6, 2);
            assertEquals(before + 4, m.getManagedArrays().size());
            assertEquals(weightArrays, weights.getManagedArrays().size());
            assertEquals(m, image.getManager());
            assertEquals(decoded.getShape(), tiled.getShape());
        }
    }
}
