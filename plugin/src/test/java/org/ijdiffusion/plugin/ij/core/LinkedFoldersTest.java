package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.lora.LoraLibrary;
import org.ijdiffusion.diffusion.text.EmbeddingLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embeddings folders in A1111 and ComfyUI layouts, and symbolic links followed (loops not). */
class LinkedFoldersTest {
    @TempDir
    Path tmp;

    private Path touch(String rel) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    @Test
    void embeddingsInBothLayouts() throws Exception {
        touch("webui/embeddings/easynegative.safetensors"); // A1111: beside models/
        touch("webui/models/Stable-diffusion/m.safetensors");
        touch("comfy/models/embeddings/sub/badhands.pt"); // ComfyUI: models/embeddings
        ModelFolders a = new ModelFolders(tmp.resolve("webui/models"), Map.of());
        assertEquals(List.of(tmp.resolve("webui/embeddings")), a.searched(ModelKind.EMBEDDING));
        assertEquals(List.of("easynegative.safetensors"), a.list(ModelKind.EMBEDDING));
        ModelFolders c = new ModelFolders(tmp.resolve("comfy/models"), Map.of());
        assertEquals(List.of("sub/badhands.pt"), c.list(ModelKind.EMBEDDING));
        EmbeddingLibrary lib = EmbeddingLibrary.scan(List.of(tmp.resolve("webui/embeddings"), tmp.resolve("comfy/models/embeddings")));
        assertTrue(lib.has("easynegative") && lib.has("badhands"), lib.names().toString());
        assertEquals(EmbeddingLibrary.EMPTY, EmbeddingLibrary.scan(List.of()));
    }

    @Test
    void symlinkedFoldersAndFilesAreFollowedAndLoopsAreNot() throws Exception {
        Path shared = tmp.resolve("shared");
        touch("shared/loras/style.safetensors");
        touch("shared/ti/neg.safetensors");
        Path single = touch("elsewhere/one.safetensors");
        Files.createDirectories(tmp.resolve("webui/models/Lora"));
        Files.createSymbolicLink(tmp.resolve("webui/models/Lora/linked"), shared.resolve("loras"));
        Files.createSymbolicLink(tmp.resolve("webui/models/Lora/one.safetensors"), single);
        Files.createSymbolicLink(tmp.resolve("webui/models/Lora/loop"), tmp.resolve("webui/models/Lora"));
        Files.createSymbolicLink(tmp.resolve("webui/embeddings"), shared.resolve("ti")); // the whole folder a link
        Files.createDirectories(tmp.resolve("webui/models/Stable-diffusion"));
        Files.createSymbolicLink(tmp.resolve("webui/models/Stable-diffusion/model.safetensors"), single);

        ModelFolders f = new ModelFolders(tmp.resolve("webui/models"), Map.of());
        List<String> loras = f.list(ModelKind.LORA);
        assertTrue(loras.contains("linked/style.safetensors"), loras.toString());
        assertTrue(loras.contains("one.safetensors"), loras.toString());
        assertEquals(List.of("model.safetensors"), f.list(ModelKind.CHECKPOINT));
        assertEquals(List.of("neg.safetensors"), f.list(ModelKind.EMBEDDING));

        LoraLibrary lib = LoraLibrary.scan(tmp.resolve("webui/models/Lora"));
        assertTrue(lib.names().contains("style") && lib.names().contains("one"), lib.names().toString());
        assertTrue(EmbeddingLibrary.scan(tmp.resolve("webui/embeddings")).has("neg"));
    }
}
