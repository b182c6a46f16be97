package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.ModelConfigs;
import org.ijdiffusion.diffusion.testutil.Diffs;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * tiny-sd15-h has a 2-head UNet and a 2-head text encoder: head counts that no tensor shows. The
 * diffusers folder (unet/config.json {@code attention_head_dim: 2}, text_encoder/config.json
 * {@code num_attention_heads: 2}) and the single file with its yaml ({@code num_heads: 2}; text heads by
 * CLIP's 64-wide rule) must both reproduce the reference's pictures.
 */
class HeadsFromConfigTest {
    @TempDir
    static Path tmp;

    @AfterAll
    static void close() {
        PipelineGoldenTest.close();
    }

    private static Path model(String layout) {
        return TestData.model(layout.equals("diffusers") ? "tiny-sd15-h" : "tiny-sd15-h.safetensors");
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "txt2img_heads2_euler_a, ldm", "txt2img_heads2_euler_a, diffusers",
        "img2img_heads2_ddim_s0.7, ldm", "img2img_heads2_ddim_s0.7, diffusers",
    })
    void reproducesTheGolden(String name, String layout) throws Exception {
        GoldenJob job = new GoldenJob(name);
        assertEquals(model(layout), job.model(layout.equals("diffusers")));
        SdModel m = PipelineGoldenTest.model(model(layout));
        assertEquals(2, m.checkpoint().unetConfig().numHeads());
        assertEquals(2, m.checkpoint().textConfig().heads());
        job.check(m, job.request().build(), layout);
    }

    @Test
    void folderAndFilePlusYamlGiveTheSamePicture() throws Exception {
        GoldenJob job = new GoldenJob("txt2img_heads2_euler_a");
        float[] a = new Pipeline(PipelineGoldenTest.model(model("ldm"))).generate(job.request().build(), null)
                .images().get(0).data();
        float[] b = new Pipeline(PipelineGoldenTest.model(model("diffusers"))).generate(job.request().build(), null)
                .images().get(0).data();
        double d = Diffs.maxAbsDiff(a, b);
        System.out.printf("tiny-sd15-h folder vs file + yaml: max|diff| image %.3e%n", d);
        assertTrue(d < PipelineGoldenTest.IMAGE_TOLERANCE, "folder and file + yaml differ by " + d);
    }

    @Test
    void whereTheHeadsComeFrom() {
        try (Checkpoint dir = Checkpoint.open(model("diffusers"), null);
                Checkpoint file = Checkpoint.open(model("ldm"), null)) {
            assertEquals(new ModelConfigs.Heads(2, 0, "unet/config.json attention_head_dim", false), dir.unetHeads());
            assertEquals(new ModelConfigs.Heads(2, 0, "tiny-sd15-h.yaml num_heads", false), file.unetHeads());
            assertEquals("text_encoder/config.json num_attention_heads", dir.configs().textHeadsSource(dir.textConfig()));
            assertTrue(file.textConfig().headsAssumed());
            assertTrue(file.configs().textHeadsSource(file.textConfig()).startsWith("assumed: CLIP convention of 64-wide"));
        }
    }

    /** Without its yaml the file falls back to SD1's 8 heads, says so, and then cannot match the golden. */
    @Test
    void withoutTheYamlTheHeadsAreAssumedAndThePictureDiffers() throws Exception {
        Path alone = tmp.resolve("alone").resolve("tiny-sd15-h.safetensors");
        Files.createDirectories(alone.getParent());
        Files.createSymbolicLink(alone, model("ldm"));
        try (SdModel m = SdModel.load(alone, null)) {
            ModelConfigs.Heads h = m.checkpoint().unetHeads();
            assertEquals(8, h.count());
            assertTrue(h.assumed());
            assertEquals("8 (assumed: SD1 convention, no config found)", h.describe());
            GoldenJob job = new GoldenJob("txt2img_heads2_euler_a");
            float[] img = new Pipeline(m).generate(job.request().build(), null).images().get(0).data();
            try (var golden = job.tensors()) {
                double d = Diffs.maxAbsDiff(golden.floats("image"), img);
                System.out.printf("tiny-sd15-h without yaml (8 heads assumed) vs golden: max|diff| %.3e%n", d);
                assertTrue(d > 1e-2, "8 heads should not reproduce a 2-head model's picture: " + d);
            }
        }
    }

    @Test
    void headWidthFromTheYaml() throws IOException {
        Path f = withYaml("width", yaml().replace("num_heads: 2", "num_heads: -1\n        num_head_channels: 32"));
        try (Checkpoint c = Checkpoint.open(f, null)) {
            assertEquals(32, c.unetHeads().width());
            assertEquals(0, c.unetConfig().numHeads());
            assertEquals(2, c.unetConfig().headsFor(64));
            assertEquals(1, c.unetConfig().headsFor(32));
        }
    }

    @Test
    void aYamlThatContradictsTheWeightsIsRefusedByField() throws IOException {
        Path f = withYaml("contra", yaml().replace("context_dim: 128", "context_dim: 768")
                .replace("num_res_blocks: 2", "num_res_blocks: 3"));
        try (Checkpoint c = Checkpoint.open(f, null)) {
            ModelFileException e = assertThrows(ModelFileException.class, c::unetConfig);
            assertTrue(e.getMessage().contains("context_dim = 768 but the weights have 128"), e.getMessage());
            assertTrue(e.getMessage().contains("num_res_blocks = 3 but the weights have 2"), e.getMessage());
        }
        Path v = withYaml("vpred", yaml().replace("use_ema: False", "use_ema: False\n    parameterization: \"v\""));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoint.open(v, null));
        assertTrue(e.getMessage().contains("parameterization = v is not supported"), e.getMessage());
    }

    @Test
    void aConfigJsonThatContradictsTheWeightsIsRefusedByField() throws IOException {
        Path dir = tmp.resolve("folder-contra");
        Path src = model("diffusers");
        for (String sub : new String[] {"text_encoder", "tokenizer", "vae", "scheduler"}) {
            Files.createDirectories(dir);
            Files.createSymbolicLink(dir.resolve(sub), src.resolve(sub));
        }
        Files.copy(src.resolve("model_index.json"), dir.resolve("model_index.json"));
        Files.createDirectories(dir.resolve("unet"));
        Files.createSymbolicLink(dir.resolve("unet/diffusion_pytorch_model.safetensors"),
                src.resolve("unet/diffusion_pytorch_model.safetensors"));
        String config = Files.readString(src.resolve("unet/config.json"));
        Files.writeString(dir.resolve("unet/config.json"), config.replace("\"norm_num_groups\": 32", "\"norm_num_groups\": 16")
                .replace("\"attention_head_dim\": 2", "\"attention_head_dim\": [2, 4, 2, 2]"));
        try (Checkpoint c = Checkpoint.open(dir, null)) {
            ModelFileException e = assertThrows(ModelFileException.class, c::unetConfig);
            assertTrue(e.getMessage().contains("attention_head_dim = [2, 4, 2, 2]"), e.getMessage());
        }
        Files.writeString(dir.resolve("unet/config.json"), config.replace("\"norm_num_groups\": 32", "\"norm_num_groups\": 16"));
        try (Checkpoint c = Checkpoint.open(dir, null)) {
            ModelFileException e = assertThrows(ModelFileException.class, c::unetConfig);
            assertTrue(e.getMessage().contains("norm_num_groups = 16 is not supported"), e.getMessage());
            assertFalse(e.getMessage().contains("attention_head_dim"), e.getMessage());
        }
    }

    private static String yaml() throws IOException {
        return Files.readString(TestData.model("tiny-sd15-h.yaml"));
    }

    /** The tiny-sd15-h weights (linked) beside a yaml with {@code text}. */
    private static Path withYaml(String name, String text) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Path f = d.resolve("m.safetensors");
        Files.createSymbolicLink(f, model("ldm"));
        Files.writeString(d.resolve("m.yaml"), text);
        return f;
    }
}
