package org.ijdiffusion.diffusion.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;

/**
 * The config files that come with a model: a diffusers folder's {@code config.json} files, or the
 * LDM / cldm {@code .yaml} beside a single file (A1111's rule: {@code name.yaml} beside
 * {@code name.safetensors}). What tensor shapes cannot show (attention head counts) is read from them;
 * everything else they state is checked against the weights and against what the engine implements,
 * and a disagreement refuses the model by field name. Without a config the SD1 conventions are used and
 * reported as assumed ({@link Heads#assumed()}).
 */
public final class ModelConfigs {
    /** SD1's CLIP ViT-L/14 text encoder: 64 channels per attention head. */
    public static final int CLIP_HEAD_WIDTH = 64;

    /**
     * Attention heads of one network: a fixed count ({@code width == 0}) or a fixed width per head
     * ({@code count == 0}), and where that came from.
     */
    public record Heads(int count, int width, String source, boolean assumed) {
        /** {@code c} with these heads. */
        public UnetConfig apply(UnetConfig c) {
            if (width > 0) {
                return c.withHeadDim(width);
            }
            return new UnetConfig(c.inChannels(), c.outChannels(), c.modelChannels(), c.channelMult(),
                    c.numResBlocks(), c.attention(), count, 0, c.contextDim(), c.transformerDepth(), c.linearProj());
        }

        /** For {@code inspect}: "2 (unet/config.json attention_head_dim)". */
        public String describe() {
            return (count > 0 ? String.valueOf(count) : width + " channels each") + " (" + source + ")";
        }
    }

    private static final Heads SD1_UNET = new Heads(UnetConfig.SD1_HEADS, 0,
            "assumed: SD1 convention, no config found", true);

    private final Path root;
    private final JsonObject unetJson;
    private final String unetWhere;
    private final JsonObject textJson;
    private final JsonObject vaeJson;
    private final JsonObject schedulerJson;
    private final LdmYaml yaml;
    private final String yamlNet;

    private ModelConfigs(Path root, JsonObject unetJson, String unetWhere, JsonObject textJson, JsonObject vaeJson,
            JsonObject schedulerJson, LdmYaml yaml, String yamlNet) {
        this.root = root;
        this.unetJson = unetJson;
        this.unetWhere = unetWhere;
        this.textJson = textJson;
        this.vaeJson = vaeJson;
        this.schedulerJson = schedulerJson;
        this.yaml = yaml;
        this.yamlNet = yamlNet;
    }

    /** The configs of a checkpoint file (its yaml, if any) or diffusers pipeline folder. */
    public static ModelConfigs forCheckpoint(Path fileOrFolder) {
        if (Files.isDirectory(fileOrFolder)) {
            DiffusersFolder f = DiffusersFolder.of(fileOrFolder);
            return new ModelConfigs(fileOrFolder, json(f.config("unet")), "unet/config.json",
                    json(f.config("text_encoder")), json(f.config("vae")),
                    json(schedulerConfig(fileOrFolder)), null, null);
        }
        return new ModelConfigs(fileOrFolder, null, null, null, null, null, LdmYaml.beside(fileOrFolder),
                "model.params.unet_config.params");
    }

    /** The configs of a ControlNet file (its cldm yaml, if any) or diffusers ControlNet folder. */
    public static ModelConfigs forControlNet(Path fileOrFolder) {
        if (Files.isDirectory(fileOrFolder)) {
            DiffusersFolder f = DiffusersFolder.of(fileOrFolder);
            return new ModelConfigs(fileOrFolder, json(f.config(f.isPipeline() ? "controlnet" : null)), "config.json",
                    null, null, null, null, null);
        }
        return new ModelConfigs(fileOrFolder, null, null, null, null, null, LdmYaml.beside(fileOrFolder),
                "model.params.control_stage_config.params");
    }

    private static Path schedulerConfig(Path folder) {
        Path p = folder.resolve("scheduler").resolve("scheduler_config.json");
        return Files.isRegularFile(p) ? p : null;
    }

    private static JsonObject json(Path file) {
        if (file == null) {
            return null;
        }
        try (Reader r = Files.newBufferedReader(file)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new ModelFileException(file + " is not a JSON object.");
            }
            return e.getAsJsonObject();
        } catch (IOException | com.google.gson.JsonParseException e) {
            throw new ModelFileException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The yaml beside the single file, or null. */
    public Path yamlFile() {
        return yaml == null ? null : yaml.file();
    }

    private Map<String, Object> yamlUnet() {
        return yaml == null ? null : yaml.section(yamlNet);
    }

    private String yamlWhere(String section) {
        return yaml.file().getFileName() + " (" + section + ")";
    }

    /** The UNet's (or ControlNet's) attention heads from its config, else SD1's 8 (assumed). */
    public Heads unetHeads() {
        if (unetJson != null) {
            ConfigCheck c = ConfigCheck.of(root + "/" + unetWhere, unetJson);
            String field = c.present("num_attention_heads") ? "num_attention_heads" : "attention_head_dim";
            List<Integer> v = c.integers(field);
            c.throwIfAny();
            if (v != null && !v.isEmpty()) {
                return new Heads(single(v, unetWhere + " " + field), 0, unetWhere + " " + field, false);
            }
        }
        Map<String, Object> p = yamlUnet();
        if (p != null) {
            ConfigCheck c = ConfigCheck.of(yamlWhere(yamlNet), p);
            int heads = c.integer("num_heads", -1);
            int width = c.integer("num_head_channels", -1);
            c.throwIfAny();
            String name = yaml.file().getFileName().toString();
            if (width > 0) {
                return new Heads(0, width, name + " num_head_channels", false);
            }
            if (heads > 0) {
                return new Heads(heads, 0, name + " num_heads", false);
            }
            throw new ModelFileException(yamlWhere(yamlNet) + " gives neither num_heads nor num_head_channels.");
        }
        return SD1_UNET;
    }

    private int single(List<Integer> perBlock, String where) {
        for (int h : perBlock) {
            if (h != perBlock.get(0) || h <= 0) {
                throw new ModelFileException(root + ": " + where + " = " + perBlock
                        + ": per-block head counts that differ are not supported (SD1.x uses one count).");
            }
        }
        return perBlock.get(0);
    }

    /**
     * The UNet (or ControlNet encoder) architecture: sizes from the weights, heads from the config,
     * every other number the config states checked against both.
     */
    public UnetConfig unet(WeightSource w) {
        UnetConfig c = unetHeads().apply(UnetConfig.fromWeights(w, UnetConfig.SD1_HEADS));
        if (unetJson != null) {
            UnetConfigCheck.diffusers(ConfigCheck.of(root + "/" + unetWhere, unetJson), c);
        }
        if (yamlUnet() != null) {
            UnetConfigCheck.ldm(ConfigCheck.of(yamlWhere(yamlNet), yamlUnet()), c);
        }
        return c;
    }

    /** The text encoder's heads from {@code text_encoder/config.json}, else null (no config states it). */
    public Integer textHeads() {
        if (textJson == null) {
            return null;
        }
        ConfigCheck c = ConfigCheck.of(root + "/text_encoder/config.json", textJson);
        Integer h = c.integer("num_attention_heads", null);
        c.throwIfAny();
        return CheckpointValidation.positiveHeads(root.resolve("text_encoder").resolve("config.json"), "num_attention_heads", h);
    }

    /** Where the text encoder's head count comes from, for {@code inspect}. */
    public String textHeadsSource(ClipTextConfig t) {
        if (!t.headsAssumed()) {
            return "text_encoder/config.json num_attention_heads";
        }
        return t.hidden() % CLIP_HEAD_WIDTH == 0
                ? "assumed: CLIP convention of " + CLIP_HEAD_WIDTH + "-wide heads, no text encoder config found"
                : "assumed: " + t.headSize() + "-wide heads (width " + t.hidden() + " is not a multiple of "
                        + CLIP_HEAD_WIDTH + "), no text encoder config found";
    }

    /** Checks the text encoder's config (diffusers) or yaml section against its weights. */
    public void checkText(ClipTextConfig t) {
        if (textJson != null) {
            ConfigCheck c = ConfigCheck.of(root + "/text_encoder/config.json", textJson);
            c.same("hidden_size", t.hidden(), "");
            c.same("num_hidden_layers", t.layers(), "");
            c.same("intermediate_size", t.intermediate(), "");
            c.same("max_position_embeddings", t.positions(), "");
            c.same("vocab_size", t.vocab(), "");
            c.supports("hidden_act", "quick_gelu");
            c.supports("layer_norm_eps", (double) ClipTextConfig.LAYER_NORM_EPS);
            c.throwIfAny();
        }
        Map<String, Object> cond = yaml == null ? null : yaml.section("model.params.cond_stage_config");
        if (cond != null && cond.get("target") != null
                && !String.valueOf(cond.get("target")).endsWith("FrozenCLIPEmbedder")) {
            throw new ModelFileException(yamlWhere("model.params.cond_stage_config") + ": target " + cond.get("target")
                    + " is not supported (only SD1's ldm.modules.encoders.modules.FrozenCLIPEmbedder).");
        }
    }

    /** Checks the VAE's config (diffusers) or yaml section against its weights (not for a --vae override). */
    public void checkVae(VaeConfig v) {
        List<Integer> channels = new ArrayList<>();
        for (int ch : v.blockChannels()) {
            channels.add(ch);
        }
        if (vaeJson != null) {
            ConfigCheck c = ConfigCheck.of(root + "/vae/config.json", vaeJson);
            c.same("block_out_channels", channels, "");
            c.same("layers_per_block", v.numResBlocks(), "");
            c.same("latent_channels", v.zChannels(), "");
            c.same("in_channels", v.inChannels(), "");
            c.same("out_channels", v.outChannels(), "");
            c.supports("norm_num_groups", v.groups());
            c.supports("act_fn", "silu");
            c.supports("scaling_factor", 0.18215);
            c.supports("use_quant_conv", true);
            c.supports("use_post_quant_conv", true);
            c.supports("mid_block_add_attention", true);
            c.absent("latents_mean");
            c.absent("latents_std");
            c.absent("shift_factor");
            c.throwIfAny();
        }
        Map<String, Object> dd = yaml == null ? null : yaml.section("model.params.first_stage_config.params.ddconfig");
        if (dd != null) {
            ConfigCheck c = ConfigCheck.of(yamlWhere("first_stage_config ddconfig"), dd);
            c.same("ch", v.ch(), "");
            List<Integer> mult = new ArrayList<>();
            for (int m : v.chMult()) {
                mult.add(m);
            }
            c.same("ch_mult", mult, "");
            c.same("num_res_blocks", v.numResBlocks(), "");
            c.same("z_channels", v.zChannels(), "");
            c.same("in_channels", v.inChannels(), "");
            c.same("out_ch", v.outChannels(), "");
            List<Integer> attn = c.integers("attn_resolutions");
            if (attn != null && !attn.isEmpty()) {
                c.problem("attn_resolutions = " + attn + " is not supported (SD's VAE has attention only in its middle)");
            }
            c.throwIfAny();
        }
    }

    /**
     * Checks the noise schedule and prediction the config states against what the samplers implement
     * (SD1's scaled-linear betas 0.00085..0.012 over 1000 steps, epsilon prediction, latent scale 0.18215).
     */
    public void checkSchedule() {
        if (schedulerJson != null) {
            ConfigCheck c = ConfigCheck.of(root + "/scheduler/scheduler_config.json", schedulerJson);
            c.supports("num_train_timesteps", 1000L);
            c.supports("beta_start", 0.00085);
            c.supports("beta_end", 0.012);
            c.supports("beta_schedule", "scaled_linear");
            c.supports("prediction_type", "epsilon");
            c.absent("trained_betas");
            c.absent("rescale_betas_zero_snr");
            c.throwIfAny();
        }
        Map<String, Object> p = yaml == null ? null : yaml.section("model.params");
        if (p != null) {
            ConfigCheck c = ConfigCheck.of(yamlWhere("model.params"), p);
            c.supports("timesteps", 1000L);
            c.supports("linear_start", 0.00085);
            c.supports("linear_end", 0.012);
            c.supports("parameterization", "eps");
            c.supports("scale_factor", 0.18215);
            c.throwIfAny();
        }
    }
}
