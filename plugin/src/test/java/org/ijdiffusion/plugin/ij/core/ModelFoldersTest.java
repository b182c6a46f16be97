package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFoldersTest {
    @TempDir
    Path tmp;

    private Path touch(String rel) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    @Test
    void a1111AndComfyUiModelsFolders() throws Exception {
        touch("a1111/models/Stable-diffusion/v1-5.safetensors");
        touch("a1111/models/Stable-diffusion/sub/other.safetensors");
        touch("a1111/models/Stable-diffusion/old.ckpt");
        touch("a1111/models/ControlNet/control_v11p_sd15_canny.safetensors");
        touch("a1111/models/Lora/detail.safetensors");
        touch("comfy/models/checkpoints/dream.safetensors");
        touch("comfy/models/controlnet/cn/config.json");
        touch("comfy/models/controlnet/cn/diffusion_pytorch_model.safetensors");
        touch("comfy/models/checkpoints/pipe/model_index.json");
        touch("comfy/models/checkpoints/pipe/unet/diffusion_pytorch_model.safetensors");
        touch("comfy/models/checkpoints/pipe/unet/config.json");

        ModelFolders a = new ModelFolders(tmp.resolve("a1111/models"), Map.of());
        assertEquals(List.of("sub/other.safetensors", "v1-5.safetensors"), a.list(ModelKind.CHECKPOINT));
        assertEquals(List.of("control_v11p_sd15_canny.safetensors"), a.list(ModelKind.CONTROLNET));
        assertEquals(List.of("detail.safetensors"), a.list(ModelKind.LORA));
        assertEquals(tmp.resolve("a1111/models/Stable-diffusion/v1-5.safetensors"),
                a.resolve(ModelKind.CHECKPOINT, "v1-5.safetensors"));

        ModelFolders c = new ModelFolders(tmp.resolve("comfy/models"), Map.of());
        assertEquals(List.of("dream.safetensors", "pipe"), c.list(ModelKind.CHECKPOINT));
        assertEquals(List.of("cn"), c.list(ModelKind.CONTROLNET));
    }

    @Test
    void ownFolderFirstAndClearMessageWhenMissing() throws Exception {
        Path own = touch("ckpts/mine.safetensors").getParent();
        Map<ModelKind, Path> f = new HashMap<>();
        f.put(ModelKind.CHECKPOINT, own);
        ModelFolders m = new ModelFolders(null, f);
        assertEquals(List.of("mine.safetensors"), m.list(ModelKind.CHECKPOINT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.resolve(ModelKind.CHECKPOINT, "v1-5-pruned-emaonly.safetensors"));
        assertEquals("The checkpoint 'v1-5-pruned-emaonly.safetensors' was not found: expected the file "
                + "v1-5-pruned-emaonly.safetensors in " + own + " (folders are set in Plugins > Diffusion > Diffusion Settings).",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ModelFolders(null, Map.of()).resolve(ModelKind.CONTROLNET, "x.safetensors"));
        assertTrue(e.getMessage().contains("none is set: choose the controlnet folder"), e.getMessage());
    }

    @Test
    void settingsRoundTripThroughAStore() {
        Map<String, String> store = new HashMap<>();
        Map<ModelKind, String> folders = new HashMap<>();
        folders.put(ModelKind.CHECKPOINT, "/models/sd");
        SuiteSettings s = new SuiteSettings("/a1111/models", folders, "v1-5.safetensors", 4);
        s.save(store::put);
        assertEquals("/models/sd", store.get("ijdiffusion.checkpoints"));
        SuiteSettings back = SuiteSettings.load(store::get);
        assertEquals(s.modelsRoot(), back.modelsRoot());
        assertEquals("/models/sd", back.folder(ModelKind.CHECKPOINT));
        assertEquals("", back.folder(ModelKind.VAE));
        assertEquals(4, back.threads());
        assertEquals("v1-5.safetensors", back.defaultModel());
    }
}
