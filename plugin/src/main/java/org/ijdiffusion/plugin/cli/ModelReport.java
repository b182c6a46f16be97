package org.ijdiffusion.plugin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.TensorInfo;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.model.ModelConfigs;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;

/** What {@code inspect} reports about a model, as an ordered map (printed as text or JSON). */
final class ModelReport {
    private ModelReport() {
    }

    static Map<String, Object> of(Checkpoint c) {
        Map<String, Object> r = head(c.path(), c.name(), c.kind().display(), c.detail(), c.shortHash());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("unet", unet(c.unetConfig(), c.unetHeads()));
        config.put("vae", vae(c.vaeConfig()));
        config.put("text_encoder", text(c.textConfig(), c.configs()));
        r.put("config", config);
        tail(r, c.path(), c.files(), c.missingKeys(), c.unusedKeys(), c.shapeMismatches());
        verdict(r, c.problems());
        return r;
    }

    static Map<String, Object> of(ControlNetCheckpoint c) {
        String kind = c.kind().display() + ", hint channels " + c.hintChannels();
        Map<String, Object> r = head(c.path(), c.name(), kind, Files.isDirectory(c.path()) ? "diffusers folder"
                : "single file", c.shortHash());
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> cn = unet(c.config(), c.heads());
        cn.remove("out_channels");
        cn.put("hint_channels", c.hintChannels());
        config.put("controlnet", cn);
        r.put("config", config);
        tail(r, c.path(), c.files(), c.missingKeys(), c.unusedKeys(), c.shapeMismatches());
        verdict(r, c.problems());
        return r;
    }

    /** "valid" is true exactly when loading would accept the model (the same check: CheckpointValidation). */
    private static void verdict(Map<String, Object> r, List<String> problems) {
        r.put("valid", problems.isEmpty());
        r.put("problems", problems);
    }

    private static Map<String, Object> head(Path path, String name, String kind, String detail, String hash) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", path.toString());
        r.put("name", name);
        r.put("kind", kind);
        r.put("detail", detail);
        r.put("model_hash", hash);
        return r;
    }

    private static void tail(Map<String, Object> r, Path path, List<SafetensorsFile> files, List<String> missing,
            List<String> unused, List<String> mismatched) {
        Map<String, Integer> dtypes = new TreeMap<>();
        int count = 0;
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (SafetensorsFile f : files) {
            for (TensorInfo t : f.tensors().values()) {
                dtypes.merge(t.dtype().name(), 1, Integer::sum);
                count++;
            }
            String label = Files.isDirectory(path) ? path.relativize(f.path()).toString() : f.path().getFileName().toString();
            metadata.put(label, new TreeMap<>(f.metadata()));
        }
        r.put("tensor_count", count);
        r.put("dtypes", dtypes);
        r.put("missing_keys", missing);
        r.put("unused_keys", unused);
        r.put("shape_mismatches", mismatched);
        r.put("metadata", metadata);
    }

    private static Map<String, Object> unet(UnetConfig u, ModelConfigs.Heads heads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_channels", u.inChannels());
        m.put("out_channels", u.outChannels());
        m.put("model_channels", u.modelChannels());
        m.put("channel_mult", u.channelMult());
        m.put("res_blocks_per_level", u.numResBlocks());
        List<Integer> levels = new java.util.ArrayList<>();
        for (int l = 0; l < u.levels(); l++) {
            if (u.attention().get(l)) {
                levels.add(l);
            }
        }
        m.put("attention_levels", levels);
        m.put("context_dim", u.contextDim());
        m.put("transformer_depth", u.transformerDepth());
        if (heads.count() > 0) {
            m.put("heads", heads.count());
        } else {
            m.put("head_channels", heads.width());
        }
        m.put("heads_source", heads.source());
        m.put("time_embed_dim", u.timeEmbedDim());
        return m;
    }

    private static Map<String, Object> vae(VaeConfig v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latent_channels", v.zChannels());
        m.put("block_channels", Arrays.stream(v.blockChannels()).boxed().toList());
        m.put("layers_per_block", v.numResBlocks());
        return m;
    }

    /** The head count with where it comes from (the config, or the convention assumed without one). */
    private static Map<String, Object> text(ClipTextConfig t, ModelConfigs configs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden_size", t.hidden());
        m.put("layers", t.layers());
        m.put("intermediate_size", t.intermediate());
        m.put("vocab_size", t.vocab());
        m.put("positions", t.positions());
        m.put("heads", t.heads());
        m.put("heads_source", configs.textHeadsSource(t));
        return m;
    }
}
