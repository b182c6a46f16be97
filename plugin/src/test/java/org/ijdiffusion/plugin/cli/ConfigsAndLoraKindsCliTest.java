package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect} says where head counts come from (config, yaml, or SD1's convention, said to be
 * assumed); {@code generate --lora} with a LoRA key the engine does not know exits 2 with one line naming
 * the key, before anything is generated.
 */
class ConfigsAndLoraKindsCliTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void privateHashCache() {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
    }

    @Test
    void inspectNamesTheSourceOfEachHeadCount() throws Exception {
        InspectCommandTest.Result file = InspectCommandTest.run("inspect", "--model",
                InspectCommandTest.model("tiny-sd15-h.safetensors").toString());
        assertEquals(0, file.code(), file.err());
        assertTrue(file.out().contains("heads 2 (tiny-sd15-h.yaml num_heads)"), file.out());
        assertTrue(file.out().contains("heads 2 (assumed: CLIP convention of 64-wide heads, no text encoder config found)"),
                file.out());
        InspectCommandTest.Result folder = InspectCommandTest.run("inspect", "--model",
                InspectCommandTest.model("tiny-sd15-h").toString());
        assertTrue(folder.out().contains("heads 2 (unet/config.json attention_head_dim)"), folder.out());
        assertTrue(folder.out().contains("heads 2 (text_encoder/config.json num_attention_heads)"), folder.out());
        Path alone = dir.resolve("alone.safetensors");
        Files.createSymbolicLink(alone, InspectCommandTest.model("tiny-sd15-h.safetensors"));
        InspectCommandTest.Result none = InspectCommandTest.run("inspect", "--model", alone.toString());
        assertTrue(none.out().contains("heads 8 (assumed: SD1 convention, no config found)"), none.out());
    }

    @Test
    void anUnknownLoraKeyExitsTwoNamingIt() throws Exception {
        Path lora = dir.resolve("glora.safetensors");
        new SafetensorsWriter()
                .addFloats("lora_unet_input_blocks_1_1_proj_in.lora_down.weight", DType.F32, new long[] {2, 32}, new float[64])
                .addFloats("lora_unet_input_blocks_1_1_proj_in.lora_up.weight", DType.F32, new long[] {32, 2}, new float[64])
                .addFloats("lora_unet_input_blocks_1_1_proj_out.a1.weight", DType.F32, new long[] {2, 32}, new float[64])
                .write(lora);
        Path out = dir.resolve("never.png");
        InspectCommandTest.Result r = InspectCommandTest.run("generate", "--model",
                InspectCommandTest.model("tiny-sd15.safetensors").toString(), "--prompt", "a cat", "--width", "64",
                "--height", "64", "--steps", "2", "--seed", "1", "--out", out.toString(), "--lora", lora + ":0.5");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("'lora_unet_input_blocks_1_1_proj_out.a1.weight'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
    }
}
