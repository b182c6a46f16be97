package org.ijdiffusion.diffusion.lora;

import java.util.List;
import java.util.Map;

/**
 * Splits a LoRA file's tensor name into the adapted module, in kohya's vocabulary
 * ({@code lora_unet_<path with _>} / {@code lora_te_<path with _>}), and the part of the module it holds,
 * in one vocabulary for every format:
 * <ul>
 * <li>kohya and LyCORIS: {@code lora_unet_down_blocks_0_..._to_q.lora_down.weight}, {@code .hada_w1_a},
 * {@code .lokr_w2}, {@code .diff}, {@code .weight} + {@code .on_input} (IA3), {@code .dora_scale}, ...</li>
 * <li>PEFT / diffusers: {@code unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight},
 * {@code text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_B.weight},
 * {@code base_model.model.*}; the older diffusers names {@code .lora.down.weight},
 * {@code .lora_linear_layer.up.weight} and attention processors ({@code attn1.processor.to_q_lora.down.weight}).</li>
 * </ul>
 * {@code lora_A}/{@code lora.down}/{@code lora_linear_layer.down} are the down weight, the others the up
 * weight. A name that fits none of these is returned as null: the caller refuses the file naming it.
 */
final class LoraKeyNames {
    /** A tensor of a module: module name (kohya style) and part ("lora_down.weight", "hada_w1_a", "alpha"...). */
    record Key(String module, String part) {
    }

    /** Parts of kohya/LyCORIS modules (what follows the module name and a dot). */
    static final List<String> PARTS = List.of("lora_down.weight", "lora_up.weight", "lora_mid.weight", "alpha", "scale",
            "dora_scale", "hada_w1_a", "hada_w1_b", "hada_w2_a", "hada_w2_b", "hada_t1", "hada_t2", "lokr_w1",
            "lokr_w1_a", "lokr_w1_b", "lokr_w2", "lokr_w2_a", "lokr_w2_b", "lokr_t2", "diff", "diff_b", "on_input",
            "weight", "lora_A.weight", "lora_B.weight");

    /** PEFT/diffusers endings, longest first, with the part each stands for. */
    private static final List<Map.Entry<String, String>> DOTTED = List.of(
            Map.entry(".lora_linear_layer.down.weight", "lora_down.weight"),
            Map.entry(".lora_linear_layer.up.weight", "lora_up.weight"),
            Map.entry(".lora.down.weight", "lora_down.weight"),
            Map.entry(".lora.up.weight", "lora_up.weight"),
            Map.entry(".lora_A.weight", "lora_down.weight"),
            Map.entry(".lora_B.weight", "lora_up.weight"),
            Map.entry(".lora_down.weight", "lora_down.weight"),
            Map.entry(".lora_up.weight", "lora_up.weight"),
            Map.entry(".dora_scale", "dora_scale"),
            Map.entry(".alpha", "alpha"));

    private LoraKeyNames() {
    }

    /** The module and part of {@code tensor}, or null when the name is in no known LoRA format. */
    static Key parse(String tensor) {
        if (tensor.startsWith("lora_")) {
            int dot = tensor.indexOf('.');
            if (dot <= 0) {
                return null;
            }
            String part = tensor.substring(dot + 1);
            if (!PARTS.contains(part)) {
                return null;
            }
            part = part.equals("lora_A.weight") ? "lora_down.weight" : part.equals("lora_B.weight") ? "lora_up.weight" : part;
            return new Key(tensor.substring(0, dot), part);
        }
        for (Map.Entry<String, String> e : DOTTED) {
            if (tensor.endsWith(e.getKey())) {
                String module = kohya(tensor.substring(0, tensor.length() - e.getKey().length()));
                return module == null ? null : new Key(module, e.getValue());
            }
        }
        // attention processors: <block>.attn1.processor.to_q_lora.down.weight
        for (String half : new String[] {"down", "up"}) {
            String end = "." + half + ".weight";
            if (tensor.contains(".processor.") && tensor.endsWith(end)) {
                String module = kohya(tensor.substring(0, tensor.length() - end.length()));
                return module == null ? null : new Key(module, "lora_" + half + ".weight");
            }
        }
        return null;
    }

    /** {@code unet.a.b} -> {@code lora_unet_a_b}; {@code text_encoder.a.b} -> {@code lora_te_a_b}; else null. */
    private static String kohya(String dotted) {
        String path;
        String prefix;
        if (dotted.startsWith("unet.")) {
            prefix = LoraFile.UNET;
            path = dotted.substring("unet.".length());
        } else if (dotted.startsWith("text_encoder.")) {
            prefix = LoraFile.TEXT;
            path = dotted.substring("text_encoder.".length());
        } else if (dotted.startsWith("base_model.model.")) {
            path = dotted.substring("base_model.model.".length());
            prefix = path.startsWith("text_model.") ? LoraFile.TEXT : LoraFile.UNET;
        } else {
            return null;
        }
        int proc = path.indexOf(".processor.");
        if (proc >= 0) {
            String layer = path.substring(proc + ".processor.".length());
            String mapped = switch (layer) {
                case "to_q_lora" -> "to_q";
                case "to_k_lora" -> "to_k";
                case "to_v_lora" -> "to_v";
                case "to_out_lora" -> "to_out.0";
                default -> null;
            };
            if (mapped == null) {
                return null;
            }
            path = path.substring(0, proc) + "." + mapped;
        }
        return prefix + path.replace('.', '_');
    }
}
