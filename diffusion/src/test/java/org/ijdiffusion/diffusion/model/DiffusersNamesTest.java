package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** The diffusers -> internal converter reproduces the LDM single files exactly. */
class DiffusersNamesTest {

    /** Same names, shapes and values; returns the max |diff| (0 expected: same stored numbers). */
    static double compare(MappedWeights ldm, MappedWeights converted) {
        assertEquals(new TreeSet<>(ldm.names()), new TreeSet<>(converted.names()),
                "converted names differ from the LDM names");
        double max = 0;
        for (String n : ldm.names()) {
            assertArrayEquals(ldm.shape(n), converted.shape(n), "shape of " + n);
            float[] a = ldm.floats(n);
            float[] b = converted.floats(n);
            assertEquals(a.length, b.length, n);
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs((double) a[i] - b[i]));
            }
        }
        return max;
    }

    @Test
    void tinySd15FolderEqualsSingleFile() {
        try (Checkpoint ldm = Checkpoint.open(TestData.model("tiny-sd15.safetensors"), null);
                Checkpoint dif = Checkpoint.open(TestData.model("tiny-sd15"), null)) {
            double u = compare((MappedWeights) ldm.unet(), (MappedWeights) dif.unet());
            double v = compare((MappedWeights) ldm.vae(), (MappedWeights) dif.vae());
            double t = compare((MappedWeights) ldm.textEncoder(), (MappedWeights) dif.textEncoder());
            System.out.println("tiny-sd15 diffusers vs LDM max |diff|: unet " + u + ", vae " + v + ", text " + t);
            assertEquals(0.0, Math.max(u, Math.max(v, t)));
            assertEquals(java.util.List.of(), dif.unusedKeys(), "diffusers keys left unconverted");
            assertEquals(java.util.List.of(), ldm.unusedKeys(), "LDM keys not used");
            assertEquals(4, dif.textHeads());
            assertEquals(java.util.List.of(), ldm.missingKeys());
            assertEquals(java.util.List.of(), dif.missingKeys());
            assertEquals(java.util.List.of(), ldm.shapeMismatches());
            assertEquals(java.util.List.of(), dif.shapeMismatches());
        }
    }

    @Test
    void tinyControlNetFolderEqualsSingleFile() {
        try (ControlNetCheckpoint ldm = ControlNetCheckpoint.open(TestData.model("tiny-controlnet.safetensors"));
                ControlNetCheckpoint dif = ControlNetCheckpoint.open(TestData.model("tiny-controlnet"))) {
            double d = compare((MappedWeights) ldm.weights(), (MappedWeights) dif.weights());
            System.out.println("tiny-controlnet diffusers vs LDM max |diff|: " + d);
            assertEquals(0.0, d);
            assertEquals(java.util.List.of(), dif.unusedKeys(), "diffusers keys left unconverted");
            assertEquals(java.util.List.of(), ldm.unusedKeys());
            assertEquals(3, ldm.hintChannels());
            assertEquals(java.util.List.of(), ldm.missingKeys());
            assertEquals(java.util.List.of(), dif.missingKeys());
            assertEquals(java.util.List.of(), ldm.shapeMismatches());
            assertEquals(java.util.List.of(), dif.shapeMismatches());
        }
    }

    @Test
    void vaeAttentionLinearsBecomeOneByOneConvolutions() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.model("tiny-sd15/vae/diffusion_pytorch_model.safetensors"))) {
            DiffusersNames.Conversion c = DiffusersNames.convert(ModelProbe.shapes(f), DiffusersNames.Component.VAE);
            assertTrue(c.unconverted().isEmpty(), c.unconverted().toString());
            MappedWeights.Target q = c.targets().get("decoder.mid.attn_1.q.weight");
            assertEquals("decoder.mid_block.attentions.0.to_q.weight", q.fileName());
            assertEquals(4, q.shape().length);
            assertEquals(1, q.shape()[3]);
            // the last diffusers up block is the first LDM one
            int last = (int) f.names().stream().filter(n -> n.startsWith("decoder.up_blocks."))
                    .map(n -> n.split("\\.")[2]).distinct().count() - 1;
            assertEquals("decoder.up_blocks." + last + ".resnets.0.conv1.weight",
                    c.targets().get("decoder.up.0.block.0.conv1.weight").fileName());
        }
    }

    @Test
    void layersPerBlockIsReadFromTheNames() {
        // one resnet per down block, two per up block: a UNet unlike the fixture's
        Map<String, long[]> s = new java.util.LinkedHashMap<>();
        long[] v = {1};
        for (int i = 0; i < 2; i++) {
            s.put("down_blocks." + i + ".resnets.0.conv1.weight", v);
            s.put("down_blocks." + i + ".attentions.0.proj_in.weight", v);
            s.put("up_blocks." + i + ".resnets.1.conv1.weight", v);
        }
        s.put("down_blocks.0.downsamplers.0.conv.weight", v);
        s.put("up_blocks.0.upsamplers.0.conv.weight", v);
        s.put("up_blocks.1.attentions.1.proj_out.weight", v);
        s.put("up_blocks.1.upsamplers.0.conv.weight", v);
        Map<String, MappedWeights.Target> t = DiffusersNames.convert(s, DiffusersNames.Component.UNET).targets();
        Map<String, String> expected = Map.of(
                "input_blocks.1.0.in_layers.2.weight", "down_blocks.0.resnets.0.conv1.weight",
                "input_blocks.2.0.op.weight", "down_blocks.0.downsamplers.0.conv.weight",
                "input_blocks.3.1.proj_in.weight", "down_blocks.1.attentions.0.proj_in.weight",
                "output_blocks.1.0.in_layers.2.weight", "up_blocks.0.resnets.1.conv1.weight",
                "output_blocks.1.1.conv.weight", "up_blocks.0.upsamplers.0.conv.weight",
                "output_blocks.3.1.proj_out.weight", "up_blocks.1.attentions.1.proj_out.weight",
                "output_blocks.3.2.conv.weight", "up_blocks.1.upsamplers.0.conv.weight");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertTrue(t.containsKey(e.getKey()), e.getKey() + " missing in " + t.keySet());
            assertEquals(e.getValue(), t.get(e.getKey()).fileName());
        }
        assertEquals(Arrays.asList(), DiffusersNames.convert(s, DiffusersNames.Component.UNET).unconverted());
    }
}
