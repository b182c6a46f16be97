package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout variants: fp16 file names, old diffusers VAE attention names, arrays loaded through DJL. */
class LayoutVariantsTest {
    @TempDir
    Path dir;

    @Test
    void fp16VariantFileNamesInADiffusersFolder() throws IOException {
        Path src = TestData.model("tiny-sd15");
        Path dst = dir.resolve("tiny-fp16");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String rel = src.relativize(p).toString().replace(".safetensors", ".fp16.safetensors");
                Path target = dst.resolve(rel);
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
        try (Checkpoint c = Checkpoint.open(dst, null)) {
            assertEquals(ModelKind.SD1, c.kind());
            assertEquals(List.of(), c.missingKeys());
            assertEquals(List.of(), c.unusedKeys());
            assertEquals("tiny-fp16", c.name());
        }
    }

    @Test
    void oldDiffusersVaeAttentionNames() {
        Map<String, long[]> s = new LinkedHashMap<>();
        Map<String, String> oldToLdm = Map.of(
                "encoder.mid_block.attentions.0.query.weight", "encoder.mid.attn_1.q.weight",
                "encoder.mid_block.attentions.0.key.bias", "encoder.mid.attn_1.k.bias",
                "decoder.mid_block.attentions.0.value.weight", "decoder.mid.attn_1.v.weight",
                "decoder.mid_block.attentions.0.proj_attn.weight", "decoder.mid.attn_1.proj_out.weight",
                "decoder.mid_block.attentions.0.group_norm.weight", "decoder.mid.attn_1.norm.weight");
        oldToLdm.keySet().forEach(k -> s.put(k, k.endsWith("norm.weight") || k.endsWith("bias") ? new long[] {6}
                : new long[] {6, 6}));
        DiffusersNames.Conversion c = DiffusersNames.convert(s, DiffusersNames.Component.VAE);
        assertEquals(List.of(), c.unconverted());
        oldToLdm.forEach((old, ldm) -> assertEquals(old, c.targets().get(ldm).fileName()));
        assertArrayEquals(new long[] {6, 6, 1, 1}, c.targets().get("encoder.mid.attn_1.q.weight").shape());
        assertArrayEquals(new long[] {6}, c.targets().get("decoder.mid.attn_1.norm.weight").shape());
    }

    /** The reshaped [C,C] -> [C,C,1,1] VAE attention weight loads through DJL with the LDM values. */
    @Test
    void convertedWeightsLoadAsFloat32Arrays() {
        try (Checkpoint ldm = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null);
                Checkpoint dif = Checkpoint.open(TestData.model("tiny-sd15"), null);
                NDManager m = NDManager.newBaseManager()) {
            double max = 0;
            for (String name : List.of("decoder.mid.attn_1.q.weight", "encoder.mid.attn_1.proj_out.weight",
                    "decoder.up.0.block.0.conv1.weight")) {
                NDArray a = ldm.vae().load(name, m);
                NDArray b = dif.vae().load(name, m);
                assertArrayEquals(a.getShape().getShape(), b.getShape().getShape(), name);
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, b.getDataType());
                max = Math.max(max, a.sub(b).abs().max().getFloat());
            }
            NDArray u = dif.unet().load("output_blocks.5.2.conv.weight", m);
            max = Math.max(max, u.sub(ldm.unet().load("output_blocks.5.2.conv.weight", m)).abs().max().getFloat());
            System.out.println("converted vs LDM weights through DJL, max |diff|: " + max);
            assertEquals(0.0, max);
        }
    }

    @Test
    void bf16SyntheticCheckpointLoads() throws IOException {
        try (Checkpoint tiny = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null)) {
            Path p = dir.resolve("bf16.safetensors");
            SyntheticCheckpoint.write(p, SyntheticCheckpoint.ldmShapes(tiny.unetConfig(), tiny.vaeConfig(),
                    tiny.textConfig()), DType.BF16);
            try (Checkpoint c = Checkpoint.open(p, null); SafetensorsFile f = SafetensorsFile.open(p);
                    NDManager m = NDManager.newBaseManager()) {
                assertEquals(List.of(), c.shapeMismatches());
                NDArray a = c.textEncoder().load("text_model.final_layer_norm.weight", m);
                assertEquals(0f, a.abs().sum().getFloat());
                assertEquals(DType.BF16, f.info(Layouts.LDM_TEXT + "text_model.final_layer_norm.weight").dtype());
            }
        }
    }
}
