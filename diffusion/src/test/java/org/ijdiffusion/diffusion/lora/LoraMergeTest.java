package org.ijdiffusion.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge rule W + m * (alpha / rank) * up @ down checked element by element against a Java
 * computation, for a linear layer named LDM-style without alpha, a LoCon 3x3 convolution named
 * diffusers-style, a text-encoder layer with its own multiplier; unmatched modules are reported.
 */
class LoraMergeTest {
    @TempDir
    Path tmp;

    private final Random random = new Random(7);

    private float[] randoms(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** A module: down [r, in(,k,k)], up [out, r(,1,1)], optional alpha. */
    private record Mod(String name, long[] down, long[] up, float[] d, float[] u, Float alpha) {
    }

    private Mod mod(String name, long[] down, long[] up, Float alpha) {
        return new Mod(name, down, up, randoms((int) count(down)), randoms((int) count(up)), alpha);
    }

    private static long count(long[] s) {
        long p = 1;
        for (long d : s) {
            p *= d;
        }
        return p;
    }

    private Path write(List<Mod> mods) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        for (Mod m : mods) {
            w.addFloats(m.name + ".lora_down.weight", DType.F32, m.down, m.d);
            w.addFloats(m.name + ".lora_up.weight", DType.F32, m.up, m.u);
            if (m.alpha != null) {
                w.addFloats(m.name + ".alpha", DType.F32, new long[0], new float[] {m.alpha});
            }
        }
        Path p = tmp.resolve("test-lora.safetensors");
        w.write(p);
        return p;
    }

    /** base + scale * up @ down, computed in double. */
    private static void assertMerged(float[] base, Mod m, double scale, float[] actual) {
        int rank = (int) m.down[0];
        int in = (int) (count(m.down) / rank);
        int out = (int) m.up[0];
        assertEquals(base.length, out * in);
        double worst = 0;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int r = 0; r < rank; r++) {
                    s += (double) m.u[o * rank + r] * m.d[r * in + i];
                }
                double expected = base[o * in + i] + scale * s;
                worst = Math.max(worst, Math.abs(expected - actual[o * in + i]));
            }
        }
        assertTrue(worst < 1e-5, m.name + ": max |diff| " + worst);
    }

    @Test
    void mergesLinearLoconAndTextLayersByTheRule() throws Exception {
        Path model = TestData.model("tiny-sd15.safetensors");
        try (Checkpoint ckpt = Checkpoint.open(model, null); NDManager nd = NDManager.newBaseManager()) {
            WeightSource unet = ckpt.unet();
            String q = "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight";
            String conv = "input_blocks.1.0.in_layers.2.weight";
            String fc1 = "text_model.encoder.layers.1.mlp.fc1.weight";
            long[] qs = unet.shape(q);
            long[] cs = unet.shape(conv);
            long[] fs = ckpt.textEncoder().shape(fc1);
            Mod linear = mod("lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q",
                    new long[] {3, qs[1]}, new long[] {qs[0], 3}, null);
            Mod locon = mod("lora_unet_down_blocks_0_resnets_0_conv1", new long[] {2, cs[1], 3, 3},
                    new long[] {cs[0], 2, 1, 1}, 1f);
            Mod text = mod("lora_te_text_model_encoder_layers_1_mlp_fc1", new long[] {4, fs[1]},
                    new long[] {fs[0], 4}, 2f);
            Mod stray = mod("lora_unet_no_such_layer", new long[] {2, 4}, new long[] {4, 2}, null);
            Path file = write(List.of(linear, locon, text, stray));
            LoraSpec spec = new LoraSpec(file, "test-lora", 0.5, 2.0);
            try (LoraSet set = LoraSet.open(List.of(spec), unet, UnetConfig.fromWeights(unet, 8), ckpt.textEncoder())) {
                AppliedLora a = set.applied().get(0);
                assertEquals(3, a.merged());
                assertEquals(List.of("lora_unet_no_such_layer"), a.unmatched());
                assertEquals(12, a.hash().length());
                assertMerged(floats(unet, q, nd), linear, 0.5 * 3 / 3, floats(set.unet(), q, nd));
                assertMerged(floats(unet, conv, nd), locon, 0.5 * 1 / 2, floats(set.unet(), conv, nd));
                assertMerged(floats(ckpt.textEncoder(), fc1, nd), text, 2.0 * 2 / 4, floats(set.text(), fc1, nd));
                String untouched = "input_blocks.1.1.transformer_blocks.0.attn1.to_k.weight";
                assertEquals(java.util.Arrays.toString(floats(unet, untouched, nd)),
                        java.util.Arrays.toString(floats(set.unet(), untouched, nd)));
            }
        }
    }

    @Test
    void severalLorasAddTheirDeltas() throws Exception {
        Path model = TestData.model("tiny-sd15.safetensors");
        Path lora = TestData.model("tiny-lora.safetensors");
        String q = "input_blocks.1.1.transformer_blocks.0.attn2.to_v.weight";
        String fc2 = "text_model.encoder.layers.2.mlp.fc2.weight";
        try (Checkpoint ckpt = Checkpoint.open(model, null); NDManager nd = NDManager.newBaseManager()) {
            UnetConfig c = UnetConfig.fromWeights(ckpt.unet(), 8);
            List<LoraSpec> two = List.of(new LoraSpec(lora, "a", 0.3, -0.25), new LoraSpec(lora, "b", 0.2, 1.0));
            try (LoraSet both = LoraSet.open(two, ckpt.unet(), c, ckpt.textEncoder());
                    LoraSet one = LoraSet.open(List.of(new LoraSpec(lora, "ab", 0.5, 0.75)), ckpt.unet(), c,
                            ckpt.textEncoder())) {
                assertClose(floats(one.unet(), q, nd), floats(both.unet(), q, nd));
                assertClose(floats(one.text(), fc2, nd), floats(both.text(), fc2, nd));
            }
        }
    }

    private static void assertClose(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 1e-6, "max |diff| " + worst);
    }

    private static float[] floats(WeightSource w, String name, NDManager nd) {
        return w.load(name, nd).toFloatArray();
    }

    @Test
    void diffusersStyleNamesMapThroughTheBaseLayout() {
        Path model = TestData.model("tiny-sd15.safetensors");
        try (Checkpoint ckpt = Checkpoint.open(model, null)) {
            LoraKeys k = LoraKeys.unet(ckpt.unet(), UnetConfig.fromWeights(ckpt.unet(), 8));
            assertEquals("input_blocks.1.1.transformer_blocks.0.attn1.to_out.0.weight",
                    k.internal("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_out_0"));
            assertEquals("input_blocks.5.1.proj_in.weight", k.internal("lora_unet_down_blocks_1_attentions_1_proj_in"));
            assertEquals("middle_block.1.transformer_blocks.0.ff.net.0.proj.weight",
                    k.internal("lora_unet_mid_block_attentions_0_transformer_blocks_0_ff_net_0_proj"));
            assertEquals("output_blocks.3.1.transformer_blocks.0.attn2.to_k.weight",
                    k.internal("lora_unet_up_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k"));
            assertEquals("output_blocks.2.1.conv.weight", k.internal("lora_unet_up_blocks_0_upsamplers_0_conv"));
            assertEquals("input_blocks.3.0.op.weight", k.internal("lora_unet_down_blocks_0_downsamplers_0_conv"));
            assertEquals("middle_block.2.emb_layers.1.weight", k.internal("lora_unet_mid_block_resnets_1_time_emb_proj"));
            assertEquals("time_embed.2.weight", k.internal("lora_unet_time_embedding_linear_2"));
            assertEquals(null, k.internal("lora_unet_up_blocks_9_attentions_0_proj_in"));
        }
    }

    @Test
    void refusesLorasForAnotherModelAndPickles() throws Exception {
        Path model = TestData.model("tiny-sd15.safetensors");
        Path sdxl = write(List.of(mod("lora_te1_text_model_encoder_layers_0_mlp_fc1", new long[] {2, 4},
                new long[] {4, 2}, null)));
        Path pt = Files.write(tmp.resolve("old.pt"), new byte[] {(byte) 0x80, 2});
        try (Checkpoint ckpt = Checkpoint.open(model, null)) {
            UnetConfig c = UnetConfig.fromWeights(ckpt.unet(), 8);
            ModelFileException e = assertThrows(ModelFileException.class,
                    () -> LoraSet.open(List.of(LoraSpec.of(sdxl, 1)), ckpt.unet(), c, ckpt.textEncoder()));
            assertTrue(e.getMessage().contains("matches none"), e.getMessage());
            e = assertThrows(ModelFileException.class,
                    () -> LoraSet.open(List.of(LoraSpec.of(pt, 1)), ckpt.unet(), c, ckpt.textEncoder()));
            assertTrue(e.getMessage().contains("pickle"), e.getMessage());
            Path wrongShape = write(List.of(mod("lora_unet_input_blocks_1_1_proj_in", new long[] {2, 1024},
                    new long[] {1024, 2}, null)));
            e = assertThrows(ModelFileException.class,
                    () -> LoraSet.open(List.of(LoraSpec.of(wrongShape, 1)), ckpt.unet(), c, ckpt.textEncoder()));
            assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        }
    }
}
