package org.ijdiffusion.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every module kind of A1111's Lora extension, written as a small synthetic file against the tiny model
 * and merged; each merged tensor is compared element by element with the rule worked out here in plain
 * double arithmetic (index loops, not the engine's array code): LoHa (plain and CP), LoKr (factored and
 * whole, linear and 3x3), IA3 (output and input side), DoRA on a linear and a 3x3 layer, CP/Tucker LoCon,
 * full diff + diff_b, PEFT/diffusers key names; unknown or incomplete keys refuse the file by name.
 */
class LoraFamilyTest {
    private static final String Q = "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight";
    private static final String K = "input_blocks.1.1.transformer_blocks.0.attn1.to_k.weight";
    private static final String V = "input_blocks.1.1.transformer_blocks.0.attn1.to_v.weight";
    private static final String OUT2 = "input_blocks.1.1.transformer_blocks.0.attn2.to_out.0.weight";
    private static final String FF = "input_blocks.1.1.transformer_blocks.0.ff.net.2.weight";
    private static final String CONV = "input_blocks.1.0.in_layers.2.weight";
    private static final String CONV2 = "input_blocks.1.0.out_layers.3.weight";
    private static final String MIDCONV = "middle_block.0.in_layers.2.weight";
    private static final String UPCONV = "output_blocks.2.0.in_layers.2.weight";
    private static final String FC1 = "text_model.encoder.layers.1.mlp.fc1.weight";
    private static final String TQ = "text_model.encoder.layers.0.self_attn.q_proj.weight";
    private static final String FC2 = "text_model.encoder.layers.1.mlp.fc2.weight";
    private static final double M_UNET = 0.7;
    private static final double M_TEXT = 1.3;

    @TempDir
    Path tmp;

    private final Random random = new Random(11);
    private Checkpoint ckpt;
    private NDManager nd;
    private UnetConfig config;

    @BeforeEach
    void open() {
        ckpt = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null);
        nd = NDManager.newBaseManager();
        config = ckpt.unetConfig();
    }

    @AfterEach
    void close() {
        nd.close();
        ckpt.close();
    }

    private float[] rnd(long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * 0.5);
        }
        return v;
    }

    private float[] base(String name) {
        WeightSource w = name.startsWith("text_model.") ? ckpt.textEncoder() : ckpt.unet();
        return w.load(name, nd).toFloatArray();
    }

    private long[] shape(String name) {
        return (name.startsWith("text_model.") ? ckpt.textEncoder() : ckpt.unet()).shape(name);
    }

    /** A file being written: tensor name -> values, plus the values kept for the expectations. */
    private final class File {
        final SafetensorsWriter w = new SafetensorsWriter();

        float[] add(String name, long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] v = rnd(n);
            w.addFloats(name, DType.F32, shape, v);
            return v;
        }

        void scalar(String name, float v) {
            w.addFloats(name, DType.F32, new long[0], new float[] {v});
        }

        Path write(String name) throws Exception {
            Path p = tmp.resolve(name + ".safetensors");
            w.write(p);
            return p;
        }
    }

    private LoraSet open(Path... files) {
        List<LoraSpec> specs = new ArrayList<>();
        for (Path f : files) {
            specs.add(new LoraSpec(f, LoraFile.nameOf(f), M_UNET, M_TEXT));
        }
        return LoraSet.open(specs, ckpt.unet(), config, ckpt.textEncoder());
    }

    private float[] merged(LoraSet set, String name) {
        return (name.startsWith("text_model.") ? set.text() : set.unet()).load(name, nd).toFloatArray();
    }

    /** actual == base + m * delta within 1e-5 (relative to the value's size). */
    private static void assertMerge(String what, float[] base, double m, double[] delta, float[] actual) {
        assertEquals(base.length, delta.length, what);
        double worst = 0;
        for (int i = 0; i < base.length; i++) {
            double expected = base[i] + m * delta[i];
            worst = Math.max(worst, Math.abs(expected - actual[i]) / Math.max(1, Math.abs(expected)));
        }
        System.out.printf("LoRA family %-28s max |diff| %.2e%n", what, worst);
        assertTrue(worst < 1e-5, what + ": max |diff| " + worst);
    }

    /** c[p][q] = sum_r a[p][r] b[r][q] for row-major a [p, r] and b [r, q]. */
    private static double[] mat(float[] a, float[] b, int p, int r, int q) {
        double[] c = new double[p * q];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += (double) a[i * r + k] * b[k * q + j];
                }
                c[i * q + j] = s;
            }
        }
        return c;
    }

    /** out[o,i,k] = sum_{a,b} up[o,a] mid[a,b,k] down[b,i] (k over the kh*kw spatial cells); up given as [out, r1]. */
    private static double[] cp(float[] up, float[] mid, float[] down, int out, int r1, int r2, int in, int kk) {
        double[] c = new double[out * in * kk];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int k = 0; k < kk; k++) {
                    double s = 0;
                    for (int a = 0; a < r1; a++) {
                        for (int b = 0; b < r2; b++) {
                            s += (double) up[o * r1 + a] * mid[(a * r2 + b) * kk + k] * down[b * in + i];
                        }
                    }
                    c[(o * in + i) * kk + k] = s;
                }
            }
        }
        return c;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static double[] times(double[] a, double s) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }

    @Test
    void lohaPlainAndCp() throws Exception {
        File f = new File();
        int r = 3;
        int out = (int) shape(Q)[0];
        int in = (int) shape(Q)[1];
        String q = "lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q";
        float[] w1a = f.add(q + ".hada_w1_a", out, r);
        float[] w1b = f.add(q + ".hada_w1_b", r, in);
        float[] w2a = f.add(q + ".hada_w2_a", out, r);
        float[] w2b = f.add(q + ".hada_w2_b", r, in);
        f.scalar(q + ".alpha", 2f);
        String c = "lora_unet_down_blocks_0_resnets_0_conv1";
        int co = (int) shape(CONV)[0];
        int ci = (int) shape(CONV)[1];
        float[] t1 = f.add(c + ".hada_t1", r, r, 3, 3);
        float[] c1a = f.add(c + ".hada_w1_a", r, co);
        float[] c1b = f.add(c + ".hada_w1_b", r, ci);
        float[] t2 = f.add(c + ".hada_t2", r, r, 3, 3);
        float[] c2a = f.add(c + ".hada_w2_a", r, co);
        float[] c2b = f.add(c + ".hada_w2_b", r, ci);
        Path file = f.write("loha");
        try (LoraSet set = open(file)) {
            assertEquals(2, set.applied().get(0).merged());
            double[] a = mat(w1a, w1b, out, r, in);
            double[] b = mat(w2a, w2b, out, r, in);
            double[] d = new double[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a[i] * b[i] * 2.0 / r;
            }
            assertMerge("LoHa linear", base(Q), M_UNET, d, merged(set, Q));
            double[] u1 = cp(transpose(c1a, r, co), t1, c1b, co, r, r, ci, 9);
            double[] u2 = cp(transpose(c2a, r, co), t2, c2b, co, r, r, ci, 9);
            double[] dc = new double[u1.length];
            for (int i = 0; i < dc.length; i++) {
                dc[i] = u1[i] * u2[i];
            }
            assertMerge("LoHa CP 3x3 (no alpha)", base(CONV), M_UNET, dc, merged(set, CONV));
        }
    }

    @Test
    void lokrFactoredAndWhole() throws Exception {
        File f = new File();
        int out = (int) shape(K)[0];
        int in = (int) shape(K)[1];
        int a = 4;
        int b = 2;
        int c = out / a;
        int d = in / b;
        int r = 3;
        String k = "lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_k";
        float[] w1 = f.add(k + ".lokr_w1", a, b);
        float[] w2a = f.add(k + ".lokr_w2_a", c, r);
        float[] w2b = f.add(k + ".lokr_w2_b", r, d);
        f.scalar(k + ".alpha", 1.5f);
        String conv = "lora_unet_input_blocks_1_0_out_layers_3";
        int co = (int) shape(CONV2)[0];
        int ci = (int) shape(CONV2)[1];
        float[] cw1 = f.add(conv + ".lokr_w1", 2, 4);
        float[] cw2 = f.add(conv + ".lokr_w2", co / 2, ci / 4, 3, 3);
        Path file = f.write("lokr");
        try (LoraSet set = open(file)) {
            double[] w2 = mat(w2a, w2b, c, r, d);
            double[] delta = new double[out * in];
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    for (int p = 0; p < c; p++) {
                        for (int qq = 0; qq < d; qq++) {
                            delta[(i * c + p) * in + j * d + qq] = w1[i * b + j] * w2[p * d + qq] * 1.5 / r;
                        }
                    }
                }
            }
            assertMerge("LoKr linear (w2 factored)", base(K), M_UNET, delta, merged(set, K));
            int c2 = co / 2;
            int d2 = ci / 4;
            double[] dc = new double[co * ci * 9];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 4; j++) {
                    for (int p = 0; p < c2; p++) {
                        for (int qq = 0; qq < d2; qq++) {
                            for (int s = 0; s < 9; s++) {
                                dc[((i * c2 + p) * ci + j * d2 + qq) * 9 + s] = cw1[i * 4 + j] * cw2[(p * d2 + qq) * 9 + s];
                            }
                        }
                    }
                }
            }
            assertMerge("LoKr 3x3 (whole halves)", base(CONV2), M_UNET, dc, merged(set, CONV2));
        }
    }

    @Test
    void ia3OnOutputAndInputSide() throws Exception {
        File f = new File();
        String v = "lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_v";
        String ff = "lora_unet_input_blocks_1_1_transformer_blocks_0_ff_net_2";
        float[] wv = f.add(v + ".weight", shape(V)[0]);
        f.scalar(v + ".on_input", 0f);
        f.scalar(v + ".alpha", 4f); // IA3 has no rank: A1111 ignores alpha
        float[] wf = f.add(ff + ".weight", shape(FF)[1]);
        f.w.addLongs(ff + ".on_input", new long[0], new long[] {1});
        Path file = f.write("ia3");
        try (LoraSet set = open(file)) {
            float[] bv = base(V);
            int in = (int) shape(V)[1];
            double[] dv = new double[bv.length];
            for (int i = 0; i < bv.length; i++) {
                dv[i] = (double) bv[i] * wv[i / in];
            }
            assertMerge("IA3 output side", bv, M_UNET, dv, merged(set, V));
            float[] bf = base(FF);
            int fin = (int) shape(FF)[1];
            double[] df = new double[bf.length];
            for (int i = 0; i < bf.length; i++) {
                df[i] = (double) bf[i] * wf[i % fin];
            }
            assertMerge("IA3 input side (on_input)", bf, M_UNET, df, merged(set, FF));
        }
    }

    /** A1111's DoRA: (W + s*up@down) * dora_scale[i] / ||column i of (W + s*up@down)|| - W. */
    private static double[] dora(float[] w, double[] d, float[] magnitude, int out, int in, int kk) {
        double[] merged = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            merged[i] = w[i] + d[i];
        }
        double[] result = new double[w.length];
        for (int i = 0; i < in; i++) {
            double sq = 0;
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < kk; k++) {
                    double x = merged[(o * in + i) * kk + k];
                    sq += x * x;
                }
            }
            double norm = Math.sqrt(sq);
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < kk; k++) {
                    int idx = (o * in + i) * kk + k;
                    result[idx] = merged[idx] * magnitude[i] / norm - w[idx];
                }
            }
        }
        return result;
    }

    @Test
    void doraOnLinearAndConv() throws Exception {
        File f = new File();
        int r = 4;
        String lin = "lora_unet_input_blocks_1_1_transformer_blocks_0_attn2_to_out_0";
        int out = (int) shape(OUT2)[0];
        int in = (int) shape(OUT2)[1];
        float[] down = f.add(lin + ".lora_down.weight", r, in);
        float[] up = f.add(lin + ".lora_up.weight", out, r);
        f.scalar(lin + ".alpha", 2f);
        float[] mag = f.add(lin + ".dora_scale", 1, in);
        String conv = "lora_unet_middle_block_0_in_layers_2";
        int co = (int) shape(MIDCONV)[0];
        int ci = (int) shape(MIDCONV)[1];
        float[] cdown = f.add(conv + ".lora_down.weight", r, ci, 3, 3);
        float[] cup = f.add(conv + ".lora_up.weight", co, r, 1, 1);
        float[] cmag = f.add(conv + ".dora_scale", 1, ci, 1, 1);
        Path file = f.write("dora");
        try (LoraSet set = open(file)) {
            double[] d = times(mat(up, down, out, r, in), 2.0 / r);
            assertMerge("DoRA linear", base(OUT2), M_UNET, dora(base(OUT2), d, mag, out, in, 1), merged(set, OUT2));
            double[] dc = mat(cup, cdown, co, r, ci * 9);
            assertMerge("DoRA 3x3 (no alpha)", base(MIDCONV), M_UNET, dora(base(MIDCONV), dc, cmag, co, ci, 9),
                    merged(set, MIDCONV));
        }
    }

    @Test
    void cpLoconAndFullDiffWithBias() throws Exception {
        File f = new File();
        int r = 3;
        String c = "lora_unet_output_blocks_2_0_in_layers_2";
        int co = (int) shape(UPCONV)[0];
        int ci = (int) shape(UPCONV)[1];
        float[] down = f.add(c + ".lora_down.weight", r, ci, 1, 1);
        float[] mid = f.add(c + ".lora_mid.weight", r, r, 3, 3);
        float[] up = f.add(c + ".lora_up.weight", co, r, 1, 1);
        f.scalar(c + ".alpha", 1f);
        String full = "lora_unet_input_blocks_1_0_in_layers_2";
        long[] cs = shape(CONV);
        float[] diff = f.add(full + ".diff", cs);
        float[] diffB = f.add(full + ".diff_b", cs[0]);
        Path file = f.write("cp-full");
        try (LoraSet set = open(file)) {
            assertMerge("CP/Tucker LoCon 3x3", base(UPCONV), M_UNET, times(cp(up, mid, down, co, r, r, ci, 9), 1.0 / r),
                    merged(set, UPCONV));
            double[] d = new double[diff.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = diff[i];
            }
            assertMerge("full diff", base(CONV), M_UNET, d, merged(set, CONV));
            String bias = "input_blocks.1.0.in_layers.2.bias";
            double[] db = new double[diffB.length];
            for (int i = 0; i < db.length; i++) {
                db[i] = diffB[i];
            }
            assertMerge("full diff_b (bias)", base(bias), M_UNET, db, merged(set, bias));
        }
    }

    @Test
    void peftAndDiffusersKeyNames() throws Exception {
        File f = new File();
        int r = 2;
        long[] ks = shape(K);
        float[] kA = f.add("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.lora_A.weight", r, ks[1]);
        float[] kB = f.add("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.lora_B.weight", ks[0], r);
        long[] os = shape(OUT2);
        String proc = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora";
        float[] oD = f.add(proc + ".down.weight", r, os[1]);
        float[] oU = f.add(proc + ".up.weight", os[0], r);
        long[] qs = shape(TQ);
        float[] qA = f.add("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", r, qs[1]);
        float[] qB = f.add("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_B.weight", qs[0], r);
        long[] fs = shape(FC2);
        String lin = "text_encoder.text_model.encoder.layers.1.mlp.fc2.lora_linear_layer";
        float[] fD = f.add(lin + ".down.weight", r, fs[1]);
        float[] fU = f.add(lin + ".up.weight", fs[0], r);
        Path file = f.write("peft");
        try (LoraSet set = open(file)) {
            assertEquals(4, set.applied().get(0).merged());
            assertEquals(List.of(), set.applied().get(0).unmatched());
            assertMerge("PEFT lora_A/lora_B", base(K), M_UNET, mat(kB, kA, (int) ks[0], r, (int) ks[1]), merged(set, K));
            assertMerge("diffusers attn processor", base(OUT2), M_UNET, mat(oU, oD, (int) os[0], r, (int) os[1]),
                    merged(set, OUT2));
            assertMerge("PEFT text encoder", base(TQ), M_TEXT, mat(qB, qA, (int) qs[0], r, (int) qs[1]), merged(set, TQ));
            assertMerge("diffusers lora_linear_layer", base(FC2), M_TEXT, mat(fU, fD, (int) fs[0], r, (int) fs[1]),
                    merged(set, FC2));
        }
    }

    /** A1111 applies networks one after another: the IA3 of the second file scales the weight the first left. */
    @Test
    void networksApplyInOrder() throws Exception {
        File f = new File();
        long[] s = shape(FC1);
        String m = "lora_te_text_model_encoder_layers_1_mlp_fc1";
        float[] down = f.add(m + ".lora_down.weight", 2, s[1]);
        float[] up = f.add(m + ".lora_up.weight", s[0], 2);
        Path lora = f.write("first");
        File g = new File();
        float[] w = g.add(m + ".weight", s[0]);
        g.scalar(m + ".on_input", 0);
        Path ia3 = g.write("second");
        try (LoraSet set = open(lora, ia3)) {
            float[] b = base(FC1);
            double[] d = mat(up, down, (int) s[0], 2, (int) s[1]);
            double[] total = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                double afterFirst = b[i] + M_TEXT * d[i];
                total[i] = (afterFirst + M_TEXT * afterFirst * w[i / (int) s[1]] - b[i]) / M_TEXT;
            }
            assertMerge("LoRA then IA3", b, M_TEXT, total, merged(set, FC1));
        }
    }

    private void assertRefused(Path file, String... parts) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> open(file).close());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void unknownOrIncompleteModulesRefuseTheWholeFile() throws Exception {
        File a = new File();
        a.add("lora_unet_input_blocks_1_1_proj_in.lora_down.weight", 2, 32);
        a.add("lora_unet_input_blocks_1_1_proj_in.lora_up.weight", 32, 2);
        a.add("lora_unet_input_blocks_1_1_proj_out.glora_a1", 2, 32);
        assertRefused(a.write("glora"), "'lora_unet_input_blocks_1_1_proj_out.glora_a1'", "Nothing of the file was merged");
        File b = new File();
        b.add("bundle_emb.cat.string_to_param.*", 1, 32);
        assertRefused(b.write("bundle"), "'bundle_emb.cat.string_to_param.*'");
        File c = new File();
        String q = "lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q";
        c.add(q + ".hada_w1_a", 32, 2);
        c.add(q + ".hada_w1_b", 2, 32);
        c.add(q + ".hada_w2_a", 32, 2);
        assertRefused(c.write("loha-incomplete"), "LoHa module " + q, "lacks hada_w2_b");
        File d = new File();
        d.add(q + ".diff", 32, 32);
        d.add(q + ".diff_b", 32);
        assertRefused(d.write("bias-less"), "has no bias");
        File e = new File();
        e.add(q + ".lora_down.weight", 2, 32);
        e.add(q + ".lora_up.weight", 32, 2);
        e.add(q + ".dora_scale", 32, 1);
        e.add(q + ".hada_w1_a", 32, 2);
        assertRefused(e.write("mixed"), "mix");
        File g = new File();
        g.add(q + ".lora_down.weight", 2, 32);
        g.add(q + ".lora_up.weight", 32, 2);
        g.add(q + ".dora_scale", 1, 16);
        assertRefused(g.write("dora-wrong"), "one magnitude per input channel");
        File h = new File();
        h.add("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_x_lora.down.weight", 2, 32);
        assertRefused(h.write("proc"), "to_x_lora.down.weight");
    }
}
