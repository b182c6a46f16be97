package org.ijdiffusion.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The few-step LoRAs users download for SD1.5 patch every kind of UNet layer, 3x3 convolutions included:
 * LCM-LoRA ({@code pytorch_lora_weights.safetensors}) and Hyper-SD15 in kohya keys with diffusers module
 * names and alphas ({@code lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight} [r, in, 3, 3],
 * {@code .lora_up.weight} [out, r, 1, 1], {@code .alpha}); TCD-LoRA in diffusers keys
 * ({@code unet.down_blocks.0.resnets.0.conv1.lora.down.weight}); LCM's own training output in PEFT keys
 * ({@code base_model.model.*.lora_A.weight}). A synthetic file in each layout for the tiny model; every
 * patched tensor must equal {@code w + m * (alpha / r) * up @ down} (reshaped to the kernel), worked out here
 * with index loops, and the key translation is checked against the LDM names written out by hand.
 */
class FewStepLoraLayoutsTest {
    /** diffusers module -> the tiny model's LDM tensor it adapts. */
    private static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("down_blocks.0.resnets.0.conv1", "input_blocks.1.0.in_layers.2.weight");
        LAYERS.put("down_blocks.0.resnets.0.time_emb_proj", "input_blocks.1.0.emb_layers.1.weight");
        LAYERS.put("down_blocks.0.downsamplers.0.conv", "input_blocks.3.0.op.weight");
        LAYERS.put("down_blocks.0.attentions.0.proj_in", "input_blocks.1.1.proj_in.weight");
        LAYERS.put("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k",
                "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight");
        LAYERS.put("mid_block.resnets.0.conv2", "middle_block.0.out_layers.3.weight");
        LAYERS.put("up_blocks.0.resnets.0.conv_shortcut", "output_blocks.0.0.skip_connection.weight");
        LAYERS.put("up_blocks.0.upsamplers.0.conv", "output_blocks.2.1.conv.weight");
        LAYERS.put("up_blocks.1.attentions.0.transformer_blocks.0.ff.net.0.proj",
                "output_blocks.3.1.transformer_blocks.0.ff.net.0.proj.weight");
    }

    private static final double M = 0.8;

    @TempDir
    Path tmp;

    private record Mod(String layer, String target, long[] down, long[] up, float[] d, float[] u, float alpha) {
    }

    @ParameterizedTest(name = "{0} layout")
    @ValueSource(strings = {"kohya", "diffusers", "peft"})
    void everyLayerKindMergesByTheRule(String layout) throws Exception {
        Random random = new Random(layout.hashCode());
        try (Checkpoint ckpt = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null);
                NDManager nd = NDManager.newBaseManager()) {
            WeightSource unet = ckpt.unet();
            SafetensorsWriter w = new SafetensorsWriter();
            List<Mod> mods = new java.util.ArrayList<>();
            int rank = 4;
            for (Map.Entry<String, String> e : LAYERS.entrySet()) {
                long[] s = unet.shape(e.getValue());
                boolean conv = s.length == 4;
                long[] down = conv ? new long[] {rank, s[1], s[2], s[3]} : new long[] {rank, s[1]};
                long[] up = conv ? new long[] {s[0], rank, 1, 1} : new long[] {s[0], rank};
                Mod m = new Mod(e.getKey(), e.getValue(), down, up, rnd(random, down), rnd(random, up),
                        layout.equals("kohya") ? 1 + mods.size() : rank);
                mods.add(m);
                String[] names = names(layout, m.layer);
                w.addFloats(names[0], DType.F32, down, m.d);
                w.addFloats(names[1], DType.F32, up, m.u);
                if (layout.equals("kohya")) {
                    w.addFloats(names[2], DType.F32, new long[0], new float[] {m.alpha});
                }
            }
            Path file = tmp.resolve("pytorch_lora_weights.safetensors");
            w.write(file);
            LoraSpec spec = new LoraSpec(file, "lcm", M, M);
            try (LoraSet set = LoraSet.open(List.of(spec), unet, ckpt.unetConfig(), ckpt.textEncoder())) {
                assertEquals(LAYERS.size(), set.applied().get(0).merged());
                assertEquals(List.of(), set.applied().get(0).unmatched());
                assertEquals(LAYERS.size(), ((LoraWeights) set.unet()).patched().size());
                for (Mod m : mods) {
                    float[] base = unet.load(m.target, nd).toFloatArray();
                    float[] merged = set.unet().load(m.target, nd).toFloatArray();
                    check(layout + " " + m.layer, base, m, M * m.alpha / rank, merged);
                }
                String untouched = "input_blocks.1.0.out_layers.3.weight";
                assertArrayEquals(unet.load(untouched, nd).toFloatArray(), set.unet().load(untouched, nd).toFloatArray());
            }
        }
    }

    /** The tensor names of a module's down, up and alpha in {@code layout}. */
    private static String[] names(String layout, String layer) {
        switch (layout) {
            case "kohya": {
                String k = "lora_unet_" + layer.replace('.', '_');
                return new String[] {k + ".lora_down.weight", k + ".lora_up.weight", k + ".alpha"};
            }
            case "diffusers":
                return new String[] {"unet." + layer + ".lora.down.weight", "unet." + layer + ".lora.up.weight", null};
            default:
                return new String[] {"base_model.model." + layer + ".lora_A.weight",
                    "base_model.model." + layer + ".lora_B.weight", null};
        }
    }

    private static float[] rnd(Random r, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** merged[o, j] == base[o, j] + scale * sum_r up[o, r] * down[r, j], j running over in x kh x kw. */
    private static void check(String what, float[] base, Mod m, double scale, float[] merged) {
        int rank = (int) m.down[0];
        int out = (int) m.up[0];
        int cols = m.d.length / rank;
        assertEquals(base.length, out * cols, what);
        double worst = 0;
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int r = 0; r < rank; r++) {
                    s += (double) m.u[o * rank + r] * m.d[r * cols + j];
                }
                double expected = base[o * cols + j] + scale * s;
                worst = Math.max(worst, Math.abs(expected - merged[o * cols + j]) / Math.max(1, Math.abs(expected)));
            }
        }
        System.out.printf("few-step LoRA %-70s max |diff| %.2e%n", what, worst);
        assertTrue(worst < 1e-5, what + ": max |diff| " + worst);
    }
}
