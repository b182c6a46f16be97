package org.ijdiffusion.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.model.ModelHash;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.Infotext;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.ijdiffusion.diffusion.text.EmbeddingLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt's LoRA tags must match the LoRAs merged at load time; the infotext lists LoRA and TI hashes
 * as A1111 does; prompt tags resolve in a LoRA folder with close-match errors.
 */
class PromptTagsAndInfotextTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void privateHashCache() {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
    }

    private static final Path LORA = TestData.model("tiny-lora.safetensors");

    @Test
    void promptTagsNeedTheLoraLoaded() {
        GenerationRequest r = GenerationRequest.builder().prompt("a cat <lora:tiny-lora:0.7>").size(64, 64).steps(1).build();
        try (SdModel base = SdModel.load(TestData.model("tiny-sd15.safetensors"), null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Pipeline(base).generate(r, null));
            assertTrue(e.getMessage().contains("loaded without LoRAs"), e.getMessage());
        }
        LoraLibrary lib = LoraLibrary.scan(LORA.getParent());
        List<LoraSpec> specs = LoraLibrary.fromPrompt("a cat <lora:tiny-lora:0.5:1.5>", lib);
        assertEquals(List.of(new LoraSpec(LORA, "tiny-lora", 1.5, 0.5)), specs);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoraLibrary.fromPrompt("<lora:tiny_lora:1>", lib));
        assertTrue(e.getMessage().contains("Did you mean: tiny-lora"), e.getMessage());
    }

    @Test
    void infotextListsLoraAndEmbeddingHashes() throws Exception {
        Path emb = dir.resolve("emb");
        java.nio.file.Files.createDirectories(emb);
        Path ti = emb.resolve("my-style.safetensors");
        new SafetensorsWriter().addFloats("emb_params", DType.F32, new long[] {2, 32}, new float[64]).write(ti);
        try (SdModel m = SdModel.load(TestData.model("tiny-sd15.safetensors"), null, List.of(LoraSpec.of(LORA, 0.7)))) {
            m.useEmbeddings(EmbeddingLibrary.scan(emb));
            GenerationRequest r = GenerationRequest.builder().prompt("a cat").negativePrompt("my-style").build();
            String info = Infotext.format(r, 1, m);
            String lora = m.loras().get(0).hash();
            String tiHash = ModelHash.fullHash(ti).substring(0, 12);
            assertTrue(info.contains(", Lora hashes: \"tiny-lora: " + lora + "\", TI hashes: \"my-style: " + tiHash + "\""),
                    info);
        }
    }
}
