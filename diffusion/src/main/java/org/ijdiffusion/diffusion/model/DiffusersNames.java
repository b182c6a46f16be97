package org.ijdiffusion.diffusion.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one converter from diffusers tensor names to the internal vocabulary (LDM names without the
 * component prefix). Table-driven: each component is an ordered list of (pattern, target) rules.
 * Block indices that depend on the architecture (layers per block, number of up blocks, which up
 * blocks have attention, number of hint-embedding blocks) are derived from the names present.
 */
public final class DiffusersNames {
    /** Which table to use. */
    public enum Component { UNET, VAE, CONTROLNET }

    /** The result: internal name to (diffusers name, shape), and the names no rule matched. */
    public record Conversion(Map<String, MappedWeights.Target> targets, List<String> unconverted) {
    }

    /** Architecture facts read from the names. */
    private record Layout(int layersPerBlock, int upBlocks, Set<Integer> upWithAttention, int hintBlocks) {
    }

    @FunctionalInterface
    private interface To {
        String apply(String[] g, Layout l);
    }

    private record Rule(Pattern pattern, To to) {
    }

    private static Rule rule(String regex, To to) {
        return new Rule(Pattern.compile(regex), to);
    }

    /** diffusers ResnetBlock2D parameter -> LDM ResBlock parameter (UNet). */
    private static final Map<String, String> UNET_RESNET = Map.of(
            "norm1", "in_layers.0", "conv1", "in_layers.2", "norm2", "out_layers.0",
            "conv2", "out_layers.3", "time_emb_proj", "emb_layers.1", "conv_shortcut", "skip_connection");
    /** diffusers ResnetBlock2D parameter -> LDM VAE ResnetBlock parameter. */
    private static final Map<String, String> VAE_RESNET = Map.of(
            "norm1", "norm1", "conv1", "conv1", "norm2", "norm2", "conv2", "conv2",
            "conv_shortcut", "nin_shortcut");
    /** diffusers VAE attention (new and old spellings) -> LDM AttnBlock. */
    private static final Map<String, String> VAE_ATTENTION = Map.of(
            "group_norm", "norm", "to_q", "q", "to_k", "k", "to_v", "v", "to_out.0", "proj_out",
            "query", "q", "key", "k", "value", "v", "proj_attn", "proj_out");

    private static final String RES = "(norm1|conv1|norm2|conv2|time_emb_proj|conv_shortcut)\\.(weight|bias)";

    private static String res(String[] g, int at) {
        return UNET_RESNET.get(g[at]) + "." + g[at + 1];
    }

    private static String vres(String[] g, int at) {
        return VAE_RESNET.get(g[at]) + "." + g[at + 1];
    }

    private static int n(String s) {
        return Integer.parseInt(s);
    }

    /** Rules shared by the UNet and the ControlNet (which is a copy of the UNet's encoder half). */
    private static final List<Rule> UNET_RULES = List.of(
            rule("time_embedding\\.linear_1\\.(.+)", (g, l) -> "time_embed.0." + g[1]),
            rule("time_embedding\\.linear_2\\.(.+)", (g, l) -> "time_embed.2." + g[1]),
            rule("conv_in\\.(.+)", (g, l) -> "input_blocks.0.0." + g[1]),
            rule("conv_norm_out\\.(.+)", (g, l) -> "out.0." + g[1]),
            rule("conv_out\\.(.+)", (g, l) -> "out.2." + g[1]),
            rule("down_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\." + RES, (g, l) ->
                    "input_blocks." + (1 + n(g[1]) * (l.layersPerBlock + 1) + n(g[2])) + ".0." + res(g, 3)),
            rule("down_blocks\\.(\\d+)\\.attentions\\.(\\d+)\\.(.+)", (g, l) ->
                    "input_blocks." + (1 + n(g[1]) * (l.layersPerBlock + 1) + n(g[2])) + ".1." + g[3]),
            rule("down_blocks\\.(\\d+)\\.downsamplers\\.0\\.conv\\.(.+)", (g, l) ->
                    "input_blocks." + ((n(g[1]) + 1) * (l.layersPerBlock + 1)) + ".0.op." + g[2]),
            rule("mid_block\\.resnets\\.(\\d+)\\." + RES, (g, l) -> "middle_block." + (2 * n(g[1])) + "." + res(g, 2)),
            rule("mid_block\\.attentions\\.0\\.(.+)", (g, l) -> "middle_block.1." + g[1]),
            rule("up_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\." + RES, (g, l) ->
                    "output_blocks." + (n(g[1]) * (l.layersPerBlock + 1) + n(g[2])) + ".0." + res(g, 3)),
            rule("up_blocks\\.(\\d+)\\.attentions\\.(\\d+)\\.(.+)", (g, l) ->
                    "output_blocks." + (n(g[1]) * (l.layersPerBlock + 1) + n(g[2])) + ".1." + g[3]),
            rule("up_blocks\\.(\\d+)\\.upsamplers\\.0\\.conv\\.(.+)", (g, l) ->
                    "output_blocks." + (n(g[1]) * (l.layersPerBlock + 1) + l.layersPerBlock) + "."
                            + (l.upWithAttention.contains(n(g[1])) ? 2 : 1) + ".conv." + g[2]),
            rule("controlnet_down_blocks\\.(\\d+)\\.(.+)", (g, l) -> "zero_convs." + g[1] + ".0." + g[2]),
            rule("controlnet_mid_block\\.(.+)", (g, l) -> "middle_block_out.0." + g[1]),
            rule("controlnet_cond_embedding\\.conv_in\\.(.+)", (g, l) -> "input_hint_block.0." + g[1]),
            rule("controlnet_cond_embedding\\.blocks\\.(\\d+)\\.(.+)", (g, l) ->
                    "input_hint_block." + (2 * (n(g[1]) + 1)) + "." + g[2]),
            rule("controlnet_cond_embedding\\.conv_out\\.(.+)", (g, l) ->
                    "input_hint_block." + (2 * (l.hintBlocks + 1)) + "." + g[1]));

    private static final List<Rule> VAE_RULES = List.of(
            rule("(encoder|decoder)\\.conv_norm_out\\.(.+)", (g, l) -> g[1] + ".norm_out." + g[2]),
            rule("(encoder|decoder)\\.(conv_in|conv_out)\\.(.+)", (g, l) -> g[1] + "." + g[2] + "." + g[3]),
            rule("(quant_conv|post_quant_conv)\\.(.+)", (g, l) -> g[1] + "." + g[2]),
            rule("encoder\\.down_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\." + RES, (g, l) ->
                    "encoder.down." + g[1] + ".block." + g[2] + "." + vres(g, 3)),
            rule("encoder\\.down_blocks\\.(\\d+)\\.downsamplers\\.0\\.conv\\.(.+)", (g, l) ->
                    "encoder.down." + g[1] + ".downsample.conv." + g[2]),
            rule("decoder\\.up_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\." + RES, (g, l) ->
                    "decoder.up." + (l.upBlocks - 1 - n(g[1])) + ".block." + g[2] + "." + vres(g, 3)),
            rule("decoder\\.up_blocks\\.(\\d+)\\.upsamplers\\.0\\.conv\\.(.+)", (g, l) ->
                    "decoder.up." + (l.upBlocks - 1 - n(g[1])) + ".upsample.conv." + g[2]),
            rule("(encoder|decoder)\\.mid_block\\.resnets\\.(\\d+)\\." + RES, (g, l) ->
                    g[1] + ".mid.block_" + (n(g[2]) + 1) + "." + vres(g, 3)),
            rule("(encoder|decoder)\\.mid_block\\.attentions\\.0\\.(group_norm|to_q|to_k|to_v|to_out\\.0|query|key|value|proj_attn)\\.(weight|bias)",
                    (g, l) -> g[1] + ".mid.attn_1." + VAE_ATTENTION.get(g[2]) + "." + g[3]));

    private DiffusersNames() {
    }

    /** True when the names look like a diffusers layout of {@code component}. */
    public static boolean isDiffusers(Set<String> names, Component component) {
        for (String s : names) {
            boolean hit = switch (component) {
                case UNET, CONTROLNET -> s.startsWith("down_blocks.") || s.startsWith("mid_block.")
                        || s.startsWith("controlnet_");
                case VAE -> s.startsWith("encoder.down_blocks.") || s.startsWith("decoder.up_blocks.")
                        || s.startsWith("encoder.mid_block.");
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    /**
     * Converts diffusers names (with their shapes) of one component. Every name a rule matches gets
     * its internal name; the others are listed in {@link Conversion#unconverted()}.
     */
    public static Conversion convert(Map<String, long[]> shapes, Component component) {
        Layout layout = layout(shapes.keySet());
        List<Rule> rules = component == Component.VAE ? VAE_RULES : UNET_RULES;
        Map<String, MappedWeights.Target> out = new LinkedHashMap<>();
        List<String> unconverted = new ArrayList<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String internal = apply(rules, e.getKey(), layout);
            if (internal == null) {
                unconverted.add(e.getKey());
                continue;
            }
            long[] shape = e.getValue();
            if (component == Component.VAE && internal.contains(".mid.attn_1.") && internal.endsWith(".weight")
                    && shape.length == 2) {
                shape = new long[] {shape[0], shape[1], 1, 1};
            }
            out.put(internal, new MappedWeights.Target(e.getKey(), shape));
        }
        return new Conversion(out, unconverted);
    }

    /**
     * The internal name of one diffusers UNet name when the layout cannot be read from the names
     * themselves (a LoRA's partial set): layers per down block, number of up blocks, which up blocks
     * carry attention. Null when no rule matches.
     */
    public static String unetName(String diffusersName, int layersPerBlock, int upBlocks, Set<Integer> upWithAttention) {
        return apply(UNET_RULES, diffusersName, new Layout(layersPerBlock, upBlocks, Set.copyOf(upWithAttention), 0));
    }

    private static String apply(List<Rule> rules, String name, Layout layout) {
        for (Rule r : rules) {
            Matcher m = r.pattern.matcher(name);
            if (m.matches()) {
                String[] g = new String[m.groupCount() + 1];
                for (int i = 0; i <= m.groupCount(); i++) {
                    g[i] = m.group(i);
                }
                return r.to.apply(g, layout);
            }
        }
        return null;
    }

    private static final Pattern DOWN_RESNET = Pattern.compile("down_blocks\\.0\\.resnets\\.(\\d+)\\..*");
    private static final Pattern UP_BLOCK = Pattern.compile("(?:decoder\\.)?up_blocks\\.(\\d+)\\.(\\w+)\\..*");
    private static final Pattern HINT_BLOCK = Pattern.compile("controlnet_cond_embedding\\.blocks\\.(\\d+)\\..*");

    private static Layout layout(Set<String> names) {
        Set<Integer> resnets = new TreeSet<>();
        Set<Integer> ups = new TreeSet<>();
        Set<Integer> upAttention = new TreeSet<>();
        Set<Integer> hints = new TreeSet<>();
        for (String s : names) {
            String unprefixed = s.startsWith("encoder.") ? s.substring("encoder.".length()) : s;
            Matcher m = DOWN_RESNET.matcher(unprefixed);
            if (m.matches()) {
                resnets.add(n(m.group(1)));
            }
            m = UP_BLOCK.matcher(s);
            if (m.matches()) {
                ups.add(n(m.group(1)));
                if (m.group(2).equals("attentions")) {
                    upAttention.add(n(m.group(1)));
                }
            }
            m = HINT_BLOCK.matcher(s);
            if (m.matches()) {
                hints.add(n(m.group(1)));
            }
        }
        return new Layout(resnets.size(), ups.size(), upAttention, hints.size());
    }
}
