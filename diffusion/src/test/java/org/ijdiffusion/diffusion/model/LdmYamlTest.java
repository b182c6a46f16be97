package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The yaml reader on the layout of the v1 inference configs, and that config beside a full-size SD1.5 file. */
class LdmYamlTest {
    @TempDir
    Path tmp;

    private static String v1() throws Exception {
        try (InputStream in = LdmYamlTest.class.getResourceAsStream("/ldm-configs/v1-layout.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheV1Layout() throws Exception {
        LdmYaml y = LdmYaml.parse(Path.of("v1.yaml"), v1().lines().toList());
        assertEquals(8L, y.get("model.params.unet_config.params.num_heads"));
        assertEquals(List.of(4L, 2L, 1L), y.get("model.params.unet_config.params.attention_resolutions"));
        assertEquals(List.of(1L, 2L, 4L, 4L), y.get("model.params.first_stage_config.params.ddconfig.ch_mult"));
        assertEquals(List.of(), y.get("model.params.first_stage_config.params.ddconfig.attn_resolutions"));
        assertEquals(2L, y.get("model.params.first_stage_config.params.ddconfig.num_res_blocks"));
        assertEquals(List.of(1e-6), y.get("model.params.scheduler_config.params.f_start"));
        assertEquals(List.of("*"), y.get("model.params.personalization_config.params.placeholder_strings"));
        assertEquals("jpg", y.get("model.params.first_stage_key"));
        assertEquals(Boolean.FALSE, y.get("model.params.cond_stage_trainable"));
        assertEquals("torch.nn.Identity", y.get("model.params.first_stage_config.params.lossconfig.target"));
        assertNull(y.get("model.params.nothing"));
    }

    @Test
    void refusesWhatItDoesNotRead() {
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> LdmYaml.parse(Path.of("x.yaml"), List.of("a:", "  - b: 1")));
        assertTrue(e.getMessage().contains("x.yaml line 2"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> LdmYaml.parse(Path.of("x.yaml"), List.of("a: |", "  text")));
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    /** SD1.5 with the v1 config beside it: every number the yaml states agrees with the weights. */
    @Test
    void fullSizeCheckpointWithItsYaml() throws Exception {
        Path full = Path.of("/work/wt/sd15-random.safetensors");
        String env = System.getenv("IJD_SD15_RANDOM");
        if (env != null) {
            full = Path.of(env);
        }
        assumeTrue(Files.isRegularFile(full), "no full-size random checkpoint at " + full);
        Path link = tmp.resolve("sd15.safetensors");
        Files.createSymbolicLink(link, full.toAbsolutePath());
        Files.writeString(tmp.resolve("sd15.yaml"), v1());
        try (Checkpoint c = Checkpoint.open(link, null)) {
            UnetConfig u = c.unetConfig();
            assertEquals(8, u.numHeads());
            assertEquals("sd15.yaml num_heads", c.unetHeads().source());
            assertEquals(12, c.textConfig().heads());
            c.vaeConfig();
        }
        Files.writeString(tmp.resolve("sd15.yaml"), v1().replace("num_heads: 8", "num_heads: -1\n        num_head_channels: 64"));
        try (Checkpoint c = Checkpoint.open(link, null)) {
            assertEquals(5, c.unetConfig().headsFor(320));
            assertEquals(20, c.unetConfig().headsFor(1280));
        }
    }
}
