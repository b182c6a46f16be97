package org.ijdiffusion.diffusion.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The internal names a component with a given config must have, so that missing and unused keys
 * can be reported. The UNet follows the LDM {@code UNetModel} block layout, the VAE the LDM
 * {@code Encoder}/{@code Decoder}, the text encoder the CLIP text transformer.
 */
public final class ExpectedKeys {
    private ExpectedKeys() {
    }

    private static void wb(Set<String> out, String module) {
        out.add(module + ".weight");
        out.add(module + ".bias");
    }

    private static void resBlock(Set<String> out, String p, int in, int outCh) {
        for (String m : new String[] {"in_layers.0", "in_layers.2", "emb_layers.1", "out_layers.0", "out_layers.3"}) {
            wb(out, p + m);
        }
        if (in != outCh) {
            wb(out, p + "skip_connection");
        }
    }

    private static void transformer(Set<String> out, String p, int depth) {
        for (String m : new String[] {"norm", "proj_in", "proj_out"}) {
            wb(out, p + m);
        }
        for (int d = 0; d < depth; d++) {
            String b = p + "transformer_blocks." + d + ".";
            for (String a : new String[] {"attn1.", "attn2."}) {
                for (String m : new String[] {"to_q", "to_k", "to_v"}) {
                    out.add(b + a + m + ".weight");
                }
                wb(out, b + a + "to_out.0");
            }
            for (String m : new String[] {"ff.net.0.proj", "ff.net.2", "norm1", "norm2", "norm3"}) {
                wb(out, b + m);
            }
        }
    }

    /** The UNet (or, with {@code controlNet}, the ControlNet minus its hint embedding). */
    public static Set<String> unet(UNetConfig c, boolean controlNet) {
        Set<String> out = new LinkedHashSet<>();
        wb(out, "time_embed.0");
        wb(out, "time_embed.2");
        wb(out, "input_blocks.0.0");
        Deque<Integer> skips = new ArrayDeque<>();
        skips.push(c.modelChannels());
        int ch = c.modelChannels();
        int index = 1;
        int L = c.numResBlocks();
        for (int l = 0; l < c.levels(); l++) {
            int outCh = c.channelMult()[l] * c.modelChannels();
            for (int j = 0; j < L; j++, index++) {
                resBlock(out, "input_blocks." + index + ".0.", ch, outCh);
                ch = outCh;
                if (c.attentionLevels()[l]) {
                    transformer(out, "input_blocks." + index + ".1.", c.transformerDepth());
                }
                skips.push(ch);
            }
            if (l < c.levels() - 1) {
                wb(out, "input_blocks." + index + ".0.op");
                skips.push(ch);
                index++;
            }
        }
        resBlock(out, "middle_block.0.", ch, ch);
        if (c.contextDim() > 0) {
            transformer(out, "middle_block.1.", c.transformerDepth());
        }
        resBlock(out, "middle_block.2.", ch, ch);
        if (controlNet) {
            for (int k = 0; k < index; k++) {
                wb(out, "zero_convs." + k + ".0");
            }
            wb(out, "middle_block_out.0");
            out.add("input_hint_block.0.weight");
            out.add("input_hint_block.0.bias");
            return out;
        }
        index = 0;
        for (int l = c.levels() - 1; l >= 0; l--) {
            int outCh = c.channelMult()[l] * c.modelChannels();
            for (int j = 0; j <= L; j++, index++) {
                resBlock(out, "output_blocks." + index + ".0.", ch + skips.pop(), outCh);
                ch = outCh;
                int next = 1;
                if (c.attentionLevels()[l]) {
                    transformer(out, "output_blocks." + index + ".1.", c.transformerDepth());
                    next = 2;
                }
                if (l > 0 && j == L) {
                    wb(out, "output_blocks." + index + "." + next + ".conv");
                }
            }
        }
        wb(out, "out.0");
        wb(out, "out.2");
        return out;
    }

    private static void vaeBlock(Set<String> out, String p, int in, int outCh) {
        for (String m : new String[] {"norm1", "conv1", "norm2", "conv2"}) {
            wb(out, p + m);
        }
        if (in != outCh) {
            wb(out, p + "nin_shortcut");
        }
    }

    private static void vaeMid(Set<String> out, String p, int ch) {
        vaeBlock(out, p + "mid.block_1.", ch, ch);
        for (String m : new String[] {"norm", "q", "k", "v", "proj_out"}) {
            wb(out, p + "mid.attn_1." + m);
        }
        vaeBlock(out, p + "mid.block_2.", ch, ch);
    }

    public static Set<String> vae(VaeConfig c) {
        Set<String> out = new LinkedHashSet<>();
        int[] chs = c.blockChannels();
        int levels = chs.length;
        wb(out, "encoder.conv_in");
        int ch = chs[0];
        for (int l = 0; l < levels; l++) {
            for (int j = 0; j < c.layersPerBlock(); j++) {
                vaeBlock(out, "encoder.down." + l + ".block." + j + ".", ch, chs[l]);
                ch = chs[l];
            }
            if (l < levels - 1) {
                wb(out, "encoder.down." + l + ".downsample.conv");
            }
        }
        vaeMid(out, "encoder.", ch);
        wb(out, "encoder.norm_out");
        wb(out, "encoder.conv_out");
        wb(out, "quant_conv");
        wb(out, "post_quant_conv");
        wb(out, "decoder.conv_in");
        ch = chs[levels - 1];
        vaeMid(out, "decoder.", ch);
        for (int l = levels - 1; l >= 0; l--) {
            for (int j = 0; j <= c.layersPerBlock(); j++) {
                vaeBlock(out, "decoder.up." + l + ".block." + j + ".", ch, chs[l]);
                ch = chs[l];
            }
            if (l > 0) {
                wb(out, "decoder.up." + l + ".upsample.conv");
            }
        }
        wb(out, "decoder.norm_out");
        wb(out, "decoder.conv_out");
        return out;
    }

    public static Set<String> text(TextConfig c) {
        Set<String> out = new LinkedHashSet<>();
        out.add("text_model.embeddings.token_embedding.weight");
        out.add("text_model.embeddings.position_embedding.weight");
        for (int i = 0; i < c.layers(); i++) {
            String p = "text_model.encoder.layers." + i + ".";
            for (String m : new String[] {"layer_norm1", "layer_norm2", "mlp.fc1", "mlp.fc2", "self_attn.q_proj",
                "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"}) {
                wb(out, p + m);
            }
        }
        wb(out, "text_model.final_layer_norm");
        return out;
    }
}
