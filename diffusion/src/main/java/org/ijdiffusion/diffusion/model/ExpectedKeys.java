package org.ijdiffusion.diffusion.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;

/**
 * The internal names, with shapes, that a component with a given config must have, so that missing
 * keys, unused keys and shape mismatches can be reported (and test models of any size written).
 * The UNet follows the LDM {@code UNetModel} layout with GEGLU feed-forward ({@code proj_in/out}
 * 1x1 convolutions as in SD1, or linear), the VAE the LDM {@code Encoder}/{@code Decoder}, the text
 * encoder CLIP's: the same configs the networks are built from.
 * A null shape means "any shape" (the ControlNet hint embedding, whose widths are free).
 */
public final class ExpectedKeys {
    private ExpectedKeys() {
    }

    private static long[] s(long... d) {
        return d;
    }

    private static void wb(Map<String, long[]> out, String module, long[] weight, long bias) {
        out.put(module + ".weight", weight);
        out.put(module + ".bias", s(bias));
    }

    private static void conv(Map<String, long[]> out, String module, long outCh, long inCh, long k) {
        wb(out, module, s(outCh, inCh, k, k), outCh);
    }

    private static void norm(Map<String, long[]> out, String module, long ch) {
        wb(out, module, s(ch), ch);
    }

    private static void resBlock(Map<String, long[]> out, String p, int in, int outCh, int time) {
        norm(out, p + "in_layers.0", in);
        conv(out, p + "in_layers.2", outCh, in, 3);
        wb(out, p + "emb_layers.1", s(outCh, time), outCh);
        norm(out, p + "out_layers.0", outCh);
        conv(out, p + "out_layers.3", outCh, outCh, 3);
        if (in != outCh) {
            conv(out, p + "skip_connection", outCh, in, 1);
        }
    }

    private static void transformer(Map<String, long[]> out, String p, int ch, UnetConfig c) {
        norm(out, p + "norm", ch);
        for (String proj : new String[] {"proj_in", "proj_out"}) {
            if (c.linearProj()) {
                wb(out, p + proj, s(ch, ch), ch);
            } else {
                conv(out, p + proj, ch, ch, 1);
            }
        }
        for (int d = 0; d < c.transformerDepth(); d++) {
            String b = p + "transformer_blocks." + d + ".";
            for (int a = 1; a <= 2; a++) {
                long kv = a == 1 ? ch : c.contextDim();
                out.put(b + "attn" + a + ".to_q.weight", s(ch, ch));
                out.put(b + "attn" + a + ".to_k.weight", s(ch, kv));
                out.put(b + "attn" + a + ".to_v.weight", s(ch, kv));
                wb(out, b + "attn" + a + ".to_out.0", s(ch, ch), ch);
            }
            wb(out, b + "ff.net.0.proj", s(8L * ch, ch), 8L * ch);
            wb(out, b + "ff.net.2", s(ch, 4L * ch), ch);
            for (int n = 1; n <= 3; n++) {
                norm(out, b + "norm" + n, ch);
            }
        }
    }

    /** The UNet (or, with {@code controlNet}, the ControlNet: encoder half, zero convs, hint input). */
    public static Map<String, long[]> unet(UnetConfig c, boolean controlNet) {
        Map<String, long[]> out = new LinkedHashMap<>();
        int mc = c.modelChannels();
        int time = c.timeEmbedDim();
        wb(out, "time_embed.0", s(time, mc), time);
        wb(out, "time_embed.2", s(time, time), time);
        conv(out, "input_blocks.0.0", mc, c.inChannels(), 3);
        int ch = mc;
        int index = 1;
        int blocks = c.numResBlocks();
        for (int l = 0; l < c.levels(); l++) {
            int outCh = c.channels(l);
            for (int j = 0; j < blocks; j++, index++) {
                resBlock(out, "input_blocks." + index + ".0.", ch, outCh, time);
                ch = outCh;
                if (c.attention().get(l)) {
                    transformer(out, "input_blocks." + index + ".1.", ch, c);
                }
            }
            if (l < c.levels() - 1) {
                conv(out, "input_blocks." + index + ".0.op", ch, ch, 3);
                index++;
            }
        }
        resBlock(out, "middle_block.0.", ch, ch, time);
        if (c.contextDim() > 0) {
            transformer(out, "middle_block.1.", ch, c);
        }
        resBlock(out, "middle_block.2.", ch, ch, time);
        List<Integer> skips = c.skipChannels();
        if (controlNet) {
            for (int k = 0; k < skips.size(); k++) {
                conv(out, "zero_convs." + k + ".0", skips.get(k), skips.get(k), 1);
            }
            conv(out, "middle_block_out.0", ch, ch, 1);
            out.put("input_hint_block.0.weight", null);
            out.put("input_hint_block.0.bias", null);
            return out;
        }
        index = 0;
        int skip = skips.size();
        for (int l = c.levels() - 1; l >= 0; l--) {
            int outCh = c.channels(l);
            for (int j = 0; j <= blocks; j++, index++) {
                resBlock(out, "output_blocks." + index + ".0.", ch + skips.get(--skip), outCh, time);
                ch = outCh;
                int next = 1;
                if (c.attention().get(l)) {
                    transformer(out, "output_blocks." + index + ".1.", ch, c);
                    next = 2;
                }
                if (l > 0 && j == blocks) {
                    conv(out, "output_blocks." + index + "." + next + ".conv", ch, ch, 3);
                }
            }
        }
        norm(out, "out.0", mc);
        conv(out, "out.2", c.outChannels(), mc, 3);
        return out;
    }

    private static void vaeBlock(Map<String, long[]> out, String p, int in, int outCh) {
        norm(out, p + "norm1", in);
        conv(out, p + "conv1", outCh, in, 3);
        norm(out, p + "norm2", outCh);
        conv(out, p + "conv2", outCh, outCh, 3);
        if (in != outCh) {
            conv(out, p + "nin_shortcut", outCh, in, 1);
        }
    }

    private static void vaeAttention(Map<String, long[]> out, String p, int ch) {
        norm(out, p + "norm", ch);
        for (String m : new String[] {"q", "k", "v", "proj_out"}) {
            conv(out, p + m, ch, ch, 1);
        }
    }

    private static void vaeMid(Map<String, long[]> out, String p, int ch) {
        vaeBlock(out, p + "mid.block_1.", ch, ch);
        vaeAttention(out, p + "mid.attn_1.", ch);
        vaeBlock(out, p + "mid.block_2.", ch, ch);
    }

    /** One level's {@code block.M} (each followed by {@code attn.M} when the level has attention). */
    private static void vaeLevel(Map<String, long[]> out, String p, int count, int in, int ch, boolean attention) {
        for (int j = 0; j < count; j++) {
            vaeBlock(out, p + "block." + j + ".", j == 0 ? in : ch, ch);
            if (attention) {
                vaeAttention(out, p + "attn." + j + ".", ch);
            }
        }
    }

    public static Map<String, long[]> vae(VaeConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        int levels = c.levels();
        int latent = c.zChannels();
        conv(out, "encoder.conv_in", c.ch(), c.inChannels(), 3);
        int ch = c.ch();
        for (int l = 0; l < levels; l++) {
            vaeLevel(out, "encoder.down." + l + ".", c.numResBlocks(), ch, c.channels(l), c.encoderAttention()[l]);
            ch = c.channels(l);
            if (l < levels - 1) {
                conv(out, "encoder.down." + l + ".downsample.conv", ch, ch, 3);
            }
        }
        vaeMid(out, "encoder.", ch);
        norm(out, "encoder.norm_out", ch);
        conv(out, "encoder.conv_out", 2L * latent, ch, 3);
        conv(out, "quant_conv", 2L * latent, 2L * latent, 1);
        conv(out, "post_quant_conv", latent, latent, 1);
        conv(out, "decoder.conv_in", ch, latent, 3);
        vaeMid(out, "decoder.", ch);
        for (int l = levels - 1; l >= 0; l--) {
            vaeLevel(out, "decoder.up." + l + ".", c.numResBlocks() + 1, ch, c.channels(l), c.decoderAttention()[l]);
            ch = c.channels(l);
            if (l > 0) {
                conv(out, "decoder.up." + l + ".upsample.conv", ch, ch, 3);
            }
        }
        norm(out, "decoder.norm_out", ch);
        conv(out, "decoder.conv_out", c.outChannels(), ch, 3);
        return out;
    }

    public static Map<String, long[]> text(ClipTextConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        int h = c.hidden();
        out.put("text_model.embeddings.token_embedding.weight", s(c.vocab(), h));
        out.put("text_model.embeddings.position_embedding.weight", s(c.positions(), h));
        for (int i = 0; i < c.layers(); i++) {
            String p = "text_model.encoder.layers." + i + ".";
            norm(out, p + "layer_norm1", h);
            norm(out, p + "layer_norm2", h);
            wb(out, p + "mlp.fc1", s(c.intermediate(), h), c.intermediate());
            wb(out, p + "mlp.fc2", s(h, c.intermediate()), h);
            for (String m : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                wb(out, p + "self_attn." + m, s(h, h), h);
            }
        }
        norm(out, "text_model.final_layer_norm", h);
        return out;
    }
}
