package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model chooser lists the checkpoints of testdata/models, not the LoRA and ControlNet files kept beside them. */
class CheckpointsTest {
    @Test
    void chooserListsCheckpointsOnly() {
        String p = System.getProperty("testdata.dir");
        Path models = (p != null && !p.isBlank() ? Paths.get(p) : Paths.get("..", "testdata")).resolve("models")
                .toAbsolutePath();
        ModelFolders folders = new ModelFolders(null, Map.of(ModelKind.CHECKPOINT, models));
        List<String> all = folders.list(ModelKind.CHECKPOINT);
        assertTrue(all.contains("tiny-lora.safetensors") && all.contains("tiny-controlnet.safetensors"),
                "the folder holds the LoRA and ControlNet files: " + all);
        List<String> listed = Checkpoints.list(folders);
        for (String c : List.of("tiny-sd15.safetensors", "tiny-sd15-inpaint.safetensors", "tiny-sd15-h.safetensors")) {
            assertTrue(listed.contains(c), c + " missing from " + listed);
        }
        assertFalse(listed.contains("tiny-lora.safetensors"), listed.toString());
        assertFalse(listed.contains("tiny-controlnet.safetensors"), listed.toString());
        assertFalse(listed.stream().anyMatch(n -> n.contains("controlnet") || n.contains("lora")), listed.toString());
    }
}
