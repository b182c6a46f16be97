package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ControlNet's head count comes from its config.json or its cldm yaml (control_stage_config), never a constant. */
class ControlNetHeadsTest {
    @TempDir
    Path tmp;

    @Test
    void headsFromConfigJsonAndFromTheCldmYaml() {
        try (ControlNetCheckpoint dir = ControlNetCheckpoint.open(TestData.model("tiny-controlnet"));
                ControlNetCheckpoint file = ControlNetCheckpoint.open(TestData.model("tiny-controlnet.safetensors"))) {
            assertEquals(new ModelConfigs.Heads(8, 0, "config.json attention_head_dim", false), dir.heads());
            assertEquals(new ModelConfigs.Heads(8, 0, "tiny-controlnet.yaml num_heads", false), file.heads());
            assertEquals(8, file.config().numHeads());
        }
    }

    @Test
    void theYamlDecidesAndIsChecked() throws Exception {
        String yaml = Files.readString(TestData.model("tiny-controlnet.yaml"));
        Path f = tmp.resolve("cn.safetensors");
        Files.createSymbolicLink(f, TestData.model("tiny-controlnet.safetensors"));
        // only the control_stage_config block counts for the ControlNet (the unet_config block is the base model's)
        int control = yaml.indexOf("control_stage_config:");
        int unet = yaml.indexOf("unet_config:");
        String two = yaml.substring(0, control) + yaml.substring(control, unet).replace("num_heads: 8", "num_heads: 2")
                + yaml.substring(unet);
        Files.writeString(tmp.resolve("cn.yaml"), two);
        try (ControlNetCheckpoint c = ControlNetCheckpoint.open(f)) {
            assertEquals(2, c.config().numHeads());
            assertEquals("2 (cn.yaml num_heads)", c.heads().describe());
        }
        Files.writeString(tmp.resolve("cn.yaml"), yaml.substring(0, control)
                + yaml.substring(control, unet).replace("context_dim: 32", "context_dim: 768") + yaml.substring(unet));
        try (ControlNetCheckpoint c = ControlNetCheckpoint.open(f)) {
            ModelFileException e = assertThrows(ModelFileException.class, c::config);
            assertTrue(e.getMessage().contains("context_dim = 768 but the weights have 32"), e.getMessage());
        }
        Files.delete(tmp.resolve("cn.yaml"));
        try (ControlNetCheckpoint c = ControlNetCheckpoint.open(f)) {
            assertTrue(c.heads().assumed());
            assertEquals("8 (assumed: SD1 convention, no config found)", c.heads().describe());
        }
    }
}
