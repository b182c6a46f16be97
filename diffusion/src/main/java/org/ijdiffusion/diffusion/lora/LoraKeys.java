package org.ijdiffusion.diffusion.lora;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ijdiffusion.diffusion.model.DiffusersNames;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;

/**
 * Kohya module names to the internal weight names of one component. Kohya writes a module path with
 * every '.' replaced by '_', after {@code lora_unet_} / {@code lora_te_}. The text encoder and LDM-style
 * UNet names are looked up among the base weights written the same way
 * ({@code input_blocks_1_1_transformer_blocks_0_attn1_to_q} -> {@code input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight});
 * diffusers-style UNet names ({@code down_blocks_0_attentions_0_proj_in}) have their block part
 * translated by {@link DiffusersNames} with the base UNet's layout first.
 */
public final class LoraKeys {
    private static final Pattern BLOCK = Pattern.compile("(down_blocks|up_blocks)_(\\d+)_(attentions|resnets)_(\\d+)_(.+)");
    private static final Pattern SAMPLER = Pattern.compile("(down_blocks|up_blocks)_(\\d+)_(downsamplers|upsamplers)_0_conv");
    private static final Pattern MID = Pattern.compile("mid_block_(attentions|resnets)_(\\d+)_(.+)");
    private static final Pattern TIME = Pattern.compile("time_embedding_linear_(\\d+)");
    private static final Set<String> TOP = Set.of("conv_in", "conv_out", "conv_norm_out");

    /** Underscored module path -> internal weight name. */
    private final Map<String, String> index = new HashMap<>();
    private final String prefix;
    private final UnetConfig unet;

    private LoraKeys(WeightSource base, String prefix, UnetConfig unetOrNull) {
        this.prefix = prefix;
        this.unet = unetOrNull;
        for (String n : base.names()) {
            if (n.endsWith(".weight")) {
                index.put(underscored(n.substring(0, n.length() - ".weight".length())), n);
            }
        }
    }

    /** The keys of a UNet (LDM- or diffusers-style kohya names). */
    public static LoraKeys unet(WeightSource base, UnetConfig config) {
        return new LoraKeys(base, LoraFile.UNET, config);
    }

    /** The keys of a CLIP text encoder. */
    public static LoraKeys text(WeightSource base) {
        return new LoraKeys(base, LoraFile.TEXT, null);
    }

    /** The internal weight name a kohya module adapts, or null when it matches nothing in this component. */
    public String internal(String kohyaModule) {
        if (!kohyaModule.startsWith(prefix)) {
            return null;
        }
        String m = kohyaModule.substring(prefix.length());
        String direct = index.get(m);
        if (direct != null || unet == null) {
            return direct;
        }
        String diffusers = diffusersName(m);
        if (diffusers == null) {
            return null;
        }
        Set<Integer> upAttention = new TreeSet<>();
        int levels = unet.levels();
        for (int i = 0; i < levels; i++) {
            if (unet.attention().get(levels - 1 - i)) {
                upAttention.add(i);
            }
        }
        String internal = DiffusersNames.unetName(diffusers, unet.numResBlocks(), levels, upAttention);
        if (internal == null) {
            return null;
        }
        return index.get(underscored(internal.substring(0, internal.length() - ".weight".length())));
    }

    /**
     * A dotted diffusers weight name for an underscored one. Inside attention blocks the rest of the path is
     * kept underscored: the converter copies it as is and the index lookup reads it underscored.
     */
    static String diffusersName(String m) {
        Matcher x = BLOCK.matcher(m);
        if (x.matches()) {
            return x.group(1) + "." + x.group(2) + "." + x.group(3) + "." + x.group(4) + "." + x.group(5) + ".weight";
        }
        x = SAMPLER.matcher(m);
        if (x.matches()) {
            return x.group(1) + "." + x.group(2) + "." + x.group(3) + ".0.conv.weight";
        }
        x = MID.matcher(m);
        if (x.matches()) {
            return "mid_block." + x.group(1) + "." + x.group(2) + "." + x.group(3) + ".weight";
        }
        x = TIME.matcher(m);
        if (x.matches()) {
            return "time_embedding.linear_" + x.group(1) + ".weight";
        }
        return TOP.contains(m) ? m + ".weight" : null;
    }

    static String underscored(String dotted) {
        return dotted.replace('.', '_');
    }

    /** Modules among {@code names} of this component's prefix that match nothing. */
    public List<String> unmatched(Iterable<String> names) {
        List<String> out = new java.util.ArrayList<>();
        for (String n : names) {
            if (n.startsWith(prefix) && internal(n) == null) {
                out.add(n);
            }
        }
        return out;
    }
}
