package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe reads kinds and configs from tensor names and shapes; other kinds are refused clearly. */
class ModelProbeTest {
    static final String SUPPORTED = "supported: SD1.x, SD1.x inpainting (and ControlNet for SD1.x as --control)";

    @TempDir
    Path dir;

    private Path crafted(String name, Map<String, long[]> shapes) throws IOException {
        Path p = dir.resolve(name);
        SyntheticCheckpoint.write(p, shapes, DType.F16);
        return p;
    }

    private static Map<String, long[]> keys(Object... nameShape) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameShape.length; i += 2) {
            m.put((String) nameShape[i], (long[]) nameShape[i + 1]);
        }
        return m;
    }

    private static long[] s(long... d) {
        return d;
    }

    @Test
    void tinySd15ConfigIsReadFromTheTensors() {
        for (String model : List.of("tiny-sd15.safetensors", "tiny-sd15")) {
            try (Checkpoint c = Checkpoint.open(TestData.model(model), null)) {
                assertEquals(ModelKind.SD1, c.kind());
                UnetConfig u = c.unetConfig();
                assertEquals(4, u.inChannels());
                assertEquals(4, u.outChannels());
                assertEquals(32, u.modelChannels());
                assertEquals(List.of(1, 2, 2, 2), u.channelMult());
                assertEquals(2, u.numResBlocks());
                assertEquals(List.of(true, true, true, false), u.attention());
                assertEquals(32, u.contextDim());
                assertEquals(1, u.transformerDepth());
                assertEquals(8, u.numHeads());
                assertEquals(128, u.timeEmbedDim());
                VaeConfig v = c.vaeConfig();
                assertEquals(4, v.zChannels());
                assertArrayEquals(new int[] {32, 32, 64, 64}, v.blockChannels());
                assertEquals(1, v.numResBlocks());
                ClipTextConfig t = c.textConfig();
                assertEquals(List.of(32, 3, 37, 49408, 77),
                        List.of(t.hidden(), t.layers(), t.intermediate(), t.vocab(), t.positions()));
                assertEquals(model.endsWith(".safetensors") ? "tiny-sd15" : "tiny-sd15", c.name());
            }
        }
    }

    @Test
    void inpaintingAndControlNetFixtures() {
        try (Checkpoint c = Checkpoint.open(TestData.model("tiny-sd15-inpaint.safetensors"), null)) {
            assertEquals(ModelKind.SD1_INPAINT, c.kind());
            assertEquals(9, c.unetConfig().inChannels());
            assertEquals(List.of(), c.missingKeys());
        }
        try (ControlNetCheckpoint c = ControlNetCheckpoint.open(TestData.model("tiny-controlnet.safetensors"))) {
            assertEquals(ModelKind.CONTROLNET_SD1, c.kind());
            assertEquals(3, c.hintChannels());
            assertEquals(0, c.config().outChannels());
        }
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> Checkpoint.open(TestData.model("tiny-controlnet.safetensors"), null));
        assertTrue(e.getMessage().contains("--control"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> ControlNetCheckpoint.open(TestData.model("tiny-sd15.safetensors")));
        assertTrue(e.getMessage().contains("not a ControlNet"), e.getMessage());
    }

    @Test
    void aModelOfOtherSizesIsProbedWithoutAssumptions() throws IOException {
        UnetConfig u = new UnetConfig(4, 4, 16, List.of(1, 2, 3), 1, List.of(true, false, true),
                UnetConfig.SD1_HEADS, 0, 24, 2, false);
        VaeConfig v = VaeConfig.of(16, new int[] {1, 2}, 2, 4, 3);
        ClipTextConfig t = new ClipTextConfig(24, 2, 3, 40, 20, 100, true);
        Path p = crafted("other.safetensors", SyntheticCheckpoint.ldmShapes(u, v, t));
        try (Checkpoint c = Checkpoint.open(p, null)) {
            assertEquals(ModelKind.SD1, c.kind());
            UnetConfig r = c.unetConfig();
            assertEquals(u.channelMult(), r.channelMult());
            assertEquals(u.attention(), r.attention());
            assertEquals(List.of(u.inChannels(), u.outChannels(), u.modelChannels(), u.numResBlocks(), u.contextDim(),
                    u.transformerDepth(), u.timeEmbedDim()), List.of(r.inChannels(), r.outChannels(), r.modelChannels(),
                    r.numResBlocks(), r.contextDim(), r.transformerDepth(), r.timeEmbedDim()));
            assertArrayEquals(v.blockChannels(), c.vaeConfig().blockChannels());
            assertEquals(v.numResBlocks(), c.vaeConfig().numResBlocks());
            assertEquals(t, c.textConfig());
            assertEquals(List.of(), c.missingKeys());
            assertEquals(List.of(), c.unusedKeys());
            assertEquals(List.of(), c.shapeMismatches());
        }
    }

    /**
     * A tensor the configs are read from may be the one a file lacks: the size is read from another
     * tensor that carries it, and the report names exactly the missing key.
     */
    @Test
    void aMissingTensorIsReportedNotMistakenForAnotherArchitecture() throws IOException {
        Map<String, long[]> full;
        try (Checkpoint tiny = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null)) {
            full = SyntheticCheckpoint.ldmShapes(tiny.unetConfig(), tiny.vaeConfig(), tiny.textConfig());
        }
        List<String> keys = List.of("unet: input_blocks.1.1.proj_in.weight", "unet: input_blocks.3.0.op.weight",
                "unet: input_blocks.4.0.in_layers.2.weight", "unet: input_blocks.1.1.transformer_blocks.0.norm1.weight",
                "unet: input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", "unet: time_embed.0.weight",
                "vae: decoder.conv_in.weight", "vae: decoder.conv_out.weight", "vae: encoder.down.1.block.0.conv2.weight",
                "vae: decoder.up.0.block.1.conv1.weight");
        for (String key : keys) {
            String name = (key.startsWith("unet") ? Layouts.LDM_UNET : Layouts.LDM_VAE) + key.substring(key.indexOf(' ') + 1);
            Map<String, long[]> m = new LinkedHashMap<>(full);
            assertTrue(m.remove(name) != null, name);
            try (Checkpoint c = Checkpoint.open(crafted("without-one.safetensors", m), null)) {
                assertEquals(List.of(key), c.missingKeys());
                assertEquals(List.of(), c.unusedKeys(), key);
                assertEquals(List.of(), c.shapeMismatches(), key);
            }
        }
    }

    @Test
    void olderTextEncoderNamesWithoutTextModelLevelAreNormalised() throws IOException {
        Map<String, long[]> m = new LinkedHashMap<>();
        try (Checkpoint tiny = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null)) {
            SyntheticCheckpoint.ldmShapes(tiny.unetConfig(), tiny.vaeConfig(), tiny.textConfig()).forEach((k, v) ->
                    m.put(k.replace(Layouts.LDM_TEXT + "text_model.", Layouts.LDM_TEXT), v));
        }
        m.put(Layouts.LDM_TEXT + "embeddings.position_ids", s(1, 77));
        Path p = crafted("old-text.safetensors", m);
        try (Checkpoint c = Checkpoint.open(p, null)) {
            assertTrue(c.textEncoder().has("text_model.embeddings.token_embedding.weight"));
            assertTrue(c.textEncoder().has("text_model.encoder.layers.0.mlp.fc1.weight"));
            assertEquals(List.of(), c.missingKeys());
            assertEquals(List.of("text: text_model.embeddings.position_ids"), c.unusedKeys());
        }
    }

    @Test
    void separateVaeFilesInEveryLayout() throws IOException {
        Path model = TestData.model("tiny-sd15.safetensors");
        Map<String, long[]> bare;
        try (Checkpoint tiny = Checkpoint.open(model, null)) {
            bare = ExpectedKeys.vae(tiny.vaeConfig());
        }
        Map<String, long[]> prefixed = new LinkedHashMap<>();
        bare.forEach((k, v) -> prefixed.put(Layouts.LDM_VAE + k, v));
        Map<String, long[]> linear = new LinkedHashMap<>(bare);
        linear.replaceAll((k, v) -> k.contains(".mid.attn_1.") && v.length == 4 ? s(v[0], v[1]) : v);
        List<Path> overrides = List.of(crafted("vae-ft-mse.safetensors", bare), crafted("vae-ldm.safetensors", prefixed),
                crafted("vae-linear-attention.safetensors", linear),
                TestData.model("tiny-sd15/vae/diffusion_pytorch_model.safetensors"), TestData.model("tiny-sd15/vae"));
        for (Path vae : overrides) {
            try (Checkpoint c = Checkpoint.open(model, vae)) {
                assertEquals(bare.keySet(), c.vae().names(), vae.toString());
                assertEquals(List.of(), c.shapeMismatches(), vae.toString());
                assertTrue(c.vae().origin().contains(vae.getFileName().toString()), c.vae().origin());
            }
        }
    }

    private void assertRefused(Path p, String... parts) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoint.open(p, null));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void aCheckpointWithoutVaeAsksForOne() throws IOException {
        Map<String, long[]> m = new LinkedHashMap<>();
        try (Checkpoint tiny = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null)) {
            SyntheticCheckpoint.ldmShapes(tiny.unetConfig(), tiny.vaeConfig(), tiny.textConfig()).forEach((k, v) -> {
                if (!k.startsWith(Layouts.LDM_VAE)) {
                    m.put(k, v);
                }
            });
        }
        Path p = crafted("no-vae.safetensors", m);
        assertRefused(p, "no VAE weights", "--vae");
        try (Checkpoint c = Checkpoint.open(p, TestData.model("tiny-sd15/vae"))) {
            assertEquals(List.of(), c.missingKeys());
        }
    }

    @Test
    void otherKindsAreRecognisedAndRefused() throws IOException {
        long[] conv = s(8, 4, 3, 3);
        assertRefused(crafted("a.safetensors", keys("model.diffusion_model.input_blocks.0.0.weight", conv,
                "cond_stage_model.model.token_embedding.weight", s(10, 8))), "not supported yet: SD2.x", SUPPORTED);
        assertRefused(crafted("b.safetensors", keys("model.diffusion_model.input_blocks.0.0.weight", conv,
                "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", s(8, 1024))),
                "not supported yet: SD2.x");
        assertRefused(crafted("c.safetensors", keys("model.diffusion_model.input_blocks.0.0.weight", conv,
                "conditioner.embedders.0.transformer.text_model.final_layer_norm.weight", s(8))),
                "not supported yet: SDXL", SUPPORTED);
        assertRefused(TestData.model("tiny-lora.safetensors"), "not supported yet: LoRA", SUPPORTED);
        assertRefused(crafted("d.safetensors", keys("encoder.down.0.block.0.conv1.weight", conv)),
                "not supported yet: VAE only", SUPPORTED);
        assertRefused(crafted("e.safetensors", keys("classifier.weight", s(2, 2))),
                "not supported yet: not a Stable Diffusion checkpoint", SUPPORTED);
        assertRefused(crafted("f.safetensors", keys("model.diffusion_model.input_blocks.0.0.weight", s(8, 8, 3, 3))),
                "8 input channels");
    }

    @Test
    void pickleFilesAreRefusedByExtensionAndByContent() throws IOException {
        for (String ext : List.of("ckpt", "pt", "pth", "bin")) {
            Path p = dir.resolve("model." + ext);
            Files.write(p, new byte[64]);
            assertRefused(p, "pickle", "arbitrary code", ".safetensors");
        }
        Path zip = dir.resolve("renamed-zip.safetensors");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0});
        assertRefused(zip, "pickle");
        Path pickle = dir.resolve("renamed-pickle.safetensors");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, 0, 0});
        assertRefused(pickle, "pickle");
        Path folder = Files.createDirectories(dir.resolve("pickled/unet"));
        Files.writeString(dir.resolve("pickled/model_index.json"), "{}");
        Files.write(folder.resolve("diffusion_pytorch_model.bin"), new byte[16]);
        assertRefused(dir.resolve("pickled"), "pickle");
    }

    @Test
    void shortHashIsSha256PrefixAndIsCached() throws IOException {
        String old = System.getProperty("ijdiffusion.cache.dir");
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
        try {
            Path p = crafted("h.safetensors", keys("x", s(3)));
            String full = ModelHash.sha256(p);
            try (Checkpoint c = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null)) {
                assertEquals(ModelHash.sha256(TestData.model("tiny-sd15.safetensors")).substring(0, 10), c.shortHash());
            }
            assertEquals(full.substring(0, 10), ModelHash.shortHash(p));
            Path cache = dir.resolve("cache/model-hashes.properties");
            String text = Files.readString(cache);
            assertTrue(text.contains(full), text);
            Files.writeString(cache, text.replace(full, "abcdef0123" + full.substring(10)));
            assertEquals("abcdef0123", ModelHash.shortHash(p), "the cached value is used for an unchanged file");
            Files.write(cache, new byte[] {1, 2, 3});
            assertEquals(full.substring(0, 10), ModelHash.shortHash(p), "a broken cache is ignored");
        } finally {
            if (old == null) {
                System.clearProperty("ijdiffusion.cache.dir");
            } else {
                System.setProperty("ijdiffusion.cache.dir", old);
            }
        }
    }
}
