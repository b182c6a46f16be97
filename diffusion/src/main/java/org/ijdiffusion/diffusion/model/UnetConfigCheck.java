package org.ijdiffusion.diffusion.model;

import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;

/**
 * What a UNet's (or ControlNet's) config file says, checked against the architecture read from its
 * weights and against what {@code nn/unet} implements (GroupNorm 32 / eps 1e-5, SiLU, sinusoidal
 * timestep embedding with flipped sin/cos, cross-attention in every transformer block).
 */
final class UnetConfigCheck {
    private UnetConfigCheck() {
    }

    /** A diffusers {@code UNet2DConditionModel} / {@code ControlNetModel} config.json. */
    static void diffusers(ConfigCheck c, UnetConfig u) {
        c.same("in_channels", u.inChannels(), "");
        if (u.outChannels() > 0) {
            c.same("out_channels", u.outChannels(), "");
        }
        List<Integer> widths = new ArrayList<>();
        for (int l = 0; l < u.levels(); l++) {
            widths.add(u.channels(l));
        }
        c.same("block_out_channels", widths, "");
        List<Integer> layers = c.integers("layers_per_block");
        if (layers != null && layers.stream().anyMatch(n -> n != u.numResBlocks())) {
            c.problem("layers_per_block = " + layers + " but the weights have " + u.numResBlocks());
        }
        if (u.attention().contains(true)) {
            List<Integer> cross = c.integers("cross_attention_dim");
            if (cross != null && cross.stream().anyMatch(n -> n != u.contextDim())) {
                c.problem("cross_attention_dim = " + cross + " but the weights have " + u.contextDim());
            }
            List<Integer> depth = c.integers("transformer_layers_per_block");
            if (depth != null && depth.stream().anyMatch(n -> n != u.transformerDepth())) {
                c.problem("transformer_layers_per_block = " + depth + " but the weights have " + u.transformerDepth());
            }
            c.same("use_linear_projection", u.linearProj(), "");
        }
        Object blocks = c.value("down_block_types");
        if (blocks instanceof List<?> types) {
            if (types.size() != u.levels()) {
                c.problem("down_block_types has " + types.size() + " blocks but the weights have " + u.levels() + " levels");
            } else {
                for (int l = 0; l < types.size(); l++) {
                    String t = String.valueOf(types.get(l));
                    boolean cross = t.equals("CrossAttnDownBlock2D");
                    if (!cross && !t.equals("DownBlock2D")) {
                        c.problem("down_block_types[" + l + "] = " + t + " is not supported");
                    } else if (cross != u.attention().get(l)) {
                        c.problem("down_block_types[" + l + "] = " + t + " but the weights "
                                + (u.attention().get(l) ? "have" : "have no") + " attention at level " + l);
                    }
                }
            }
        }
        c.supports("act_fn", "silu");
        c.supports("norm_num_groups", 32L);
        c.supports("norm_eps", 1e-5);
        c.supports("flip_sin_to_cos", true);
        c.supports("freq_shift", 0L);
        c.supports("time_embedding_type", "positional");
        c.supports("resnet_time_scale_shift", "default");
        c.supports("mid_block_type", "UNetMidBlock2DCrossAttn");
        c.supports("conv_in_kernel", 3L);
        c.supports("conv_out_kernel", 3L);
        c.supports("mid_block_scale_factor", 1L);
        c.supports("controlnet_conditioning_channel_order", "rgb");
        c.supports("attention_type", "default");
        c.supports("resnet_out_scale_factor", 1L);
        c.absent("class_embed_type");
        c.absent("num_class_embeds");
        c.absent("addition_embed_type");
        c.absent("encoder_hid_dim");
        c.absent("time_cond_proj_dim");
        c.absent("time_embedding_dim");
        c.absent("only_cross_attention");
        c.absent("dual_cross_attention");
        c.absent("center_input_sample");
        c.absent("global_pool_conditions");
        c.absent("time_embedding_act_fn");
        c.absent("timestep_post_act");
        c.absent("cross_attention_norm");
        c.absent("resnet_skip_time_act");
        c.absent("class_embeddings_concat");
        c.absent("reverse_transformer_layers_per_block");
        c.throwIfAny();
    }

    /** The {@code unet_config.params} / {@code control_stage_config.params} of an LDM or cldm yaml. */
    static void ldm(ConfigCheck c, UnetConfig u) {
        c.same("in_channels", u.inChannels(), "");
        if (u.outChannels() > 0) {
            c.same("out_channels", u.outChannels(), "");
        }
        c.same("model_channels", u.modelChannels(), "");
        c.same("channel_mult", u.channelMult(), "");
        c.same("num_res_blocks", u.numResBlocks(), "");
        List<Integer> res = c.integers("attention_resolutions");
        if (res != null) {
            for (int l = 0; l < u.levels(); l++) {
                boolean says = res.contains(1 << l);
                if (says != u.attention().get(l)) {
                    c.problem("attention_resolutions = " + res + " " + (says ? "puts" : "puts no") + " attention at level "
                            + l + " (downsampling " + (1 << l) + ") but the weights " + (says ? "have none" : "have it"));
                }
            }
        }
        if (u.attention().contains(true)) {
            c.same("transformer_depth", u.transformerDepth(), "");
            c.same("context_dim", u.contextDim(), "");
            c.same("use_linear_in_transformer", u.linearProj(), "");
        }
        c.supports("use_spatial_transformer", true);
        c.supports("dims", 2L);
        c.absent("use_scale_shift_norm");
        c.absent("resblock_updown");
        c.absent("num_classes");
        c.absent("adm_in_channels");
        c.absent("disable_self_attentions");
        c.throwIfAny();
    }
}
