package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.model.ModelHash;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.Diffs;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Infotext that replays: fields as A1111 1.9 writes them, read back, per-image seeds of a batch. */
class InfotextReplayTest {
    @TempDir
    Path dir;

    private static GenerationRequest.Builder req(SamplerKind s) {
        return GenerationRequest.builder().prompt("a cat, Seed: 5").negativePrompt("blurry\nugly").size(64, 64)
                .steps(4).cfg(7.5).seed(1234).sampler(s);
    }

    @Test
    void samplerAndScheduleTypeAsA1111Writes() {
        String k = Infotext.format(req(SamplerKind.DPMPP_2M_KARRAS).build(), 1234, "m", "abc");
        assertTrue(k.contains("Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7.5, Seed: 1234"), k);
        assertTrue(k.contains("RNG: CPU"), k);
        String e = Infotext.format(req(SamplerKind.EULER_A).build(), 1234, "m", "abc");
        assertTrue(e.contains("Sampler: Euler a, Schedule type: Uniform,"), e);
        assertEquals(SamplerKind.DPMPP_2M_KARRAS, SamplerInfotext.read("DPM++ 2M", "Karras"));
        assertEquals(SamplerKind.DPMPP_2M_KARRAS, SamplerInfotext.read("DPM++ 2M Karras", null));
        assertEquals(SamplerKind.DPMPP_2M, SamplerInfotext.read("DPM++ 2M", "Uniform"));
        assertEquals(SamplerKind.EULER_A, SamplerInfotext.read("Euler a", "Automatic"));
        assertThrows(IllegalArgumentException.class, () -> SamplerInfotext.read("Euler", "Karras"));
        assertThrows(IllegalArgumentException.class, () -> SamplerInfotext.read("DPM++ 2M", "Exponential"));
    }

    @Test
    void readsBackWhatItWrites() {
        GenerationRequest r = req(SamplerKind.DPMPP_2M_KARRAS).clipSkip(2).build();
        String text = Infotext.format(r, 1234, "model", "0123456789") + ", Lora hashes: \"a: 1, b: 2\"";
        InfotextReader.Parameters p = InfotextReader.parse(text);
        assertEquals("a cat, Seed: 5", p.prompt());
        assertEquals("blurry\nugly", p.negativePrompt());
        assertEquals("4", p.get("Steps"));
        assertEquals("DPM++ 2M", p.get("Sampler"));
        assertEquals("Karras", p.get("Schedule type"));
        assertEquals("7.5", p.get("CFG scale"));
        assertEquals("1234", p.get("Seed"));
        assertEquals("64x64", p.get("Size"));
        assertEquals("2", p.get("Clip skip"));
        assertEquals("a: 1, b: 2", p.get("Lora hashes"));
        // an A1111 text: no negative prompt, quoted values with escapes
        InfotextReader.Parameters a = InfotextReader.parse("masterpiece, (cat:1.2)\nSteps: 20, Sampler: Euler a, "
                + "CFG scale: 7, Seed: 42, Size: 512x768, Model hash: 6ce0161689, ControlNet 0: \"Module: canny, "
                + "Model: control_v11p_sd15_canny [d14c016b], Weight: 1\", Version: v1.9.4");
        assertEquals("masterpiece, (cat:1.2)", a.prompt());
        assertEquals("", a.negativePrompt());
        assertEquals("Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1", a.get("ControlNet 0"));
        assertEquals("v1.9.4", a.get("Version"));
        // a broken escape is kept as written, never an exception
        assertEquals("a\\uZZ b\u00e9", InfotextReader.parse("x\nSteps: 1, Seed: 2, Note: \"a\\uZZ b\\u00e9\"").get("Note"));
        // fewer than three pairs on the last line: it is prompt text
        assertEquals("a\nSteps: 3", InfotextReader.parse("a\nSteps: 3").prompt());
    }

    @Test
    void withSeedChangesTheParameterLineOnly() {
        String t = Infotext.format(req(SamplerKind.EULER).build(), 1234, "m", "h");
        String s = Infotext.withSeed(t, 1235);
        assertTrue(s.startsWith("a cat, Seed: 5\n"), s);
        assertTrue(s.contains(", Seed: 1235, "), s);
        assertEquals(t.replace(", Seed: 1234, ", ", Seed: 1235, "), s);
    }

    @Test
    void legacyHashIsSha256Of64KiBAtOneMiB() throws Exception {
        // expected digits from Python's hashlib over the same bytes ((i * 7 + 3) % 251)
        assertEquals("145d6c8b", ModelHash.legacyHash(bytes(0x100000 + 0x10000 + 500)));
        assertEquals("44746177", ModelHash.legacyHash(bytes(0x100000 + 1000)));
        assertEquals("e3b0c442", ModelHash.legacyHash(bytes(1000))); // nothing at 1 MiB: sha256 of no bytes
    }

    private Path bytes(int n) throws Exception {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i * 7L + 3) % 251);
        }
        Path p = dir.resolve("f" + n);
        Files.write(p, b);
        return p;
    }

    /** Image i of a batch is its seed + i made alone: same noise bit for bit, same picture. */
    @Test
    void eachImageOfABatchIsItsSeedAlone() {
        SdModel m = PipelineGoldenTest.model(TestData.model("tiny-sd15.safetensors"));
        GenerationRequest.Builder b = GenerationRequest.builder().prompt("a cat").negativePrompt("blurry")
                .size(64, 64).steps(3).cfg(7.5).seed(4000).sampler(SamplerKind.EULER_A);
        List<float[]> noise = new ArrayList<>();
        GenerationResult batch = new Pipeline(m).tap((n, v) -> {
            if (n.equals("noise_0")) {
                noise.add(v.toFloatArray());
            }
            return v;
        }).generate(b.batch(3).build(), null);
        GenerationResult alone = new Pipeline(m).tap((n, v) -> {
            if (n.equals("noise_0")) {
                noise.add(v.toFloatArray());
            }
            return v;
        }).generate(b.batch(1).seed(4002).build(), null);
        float[] third = java.util.Arrays.copyOfRange(noise.get(0), 2 * noise.get(1).length, 3 * noise.get(1).length);
        assertArrayEquals(noise.get(1), third);
        double d = Diffs.maxAbsDiff(batch.images().get(2).data(), alone.images().get(0).data());
        System.out.println("batch image 2 vs seed 4002 alone (euler a, ancestral noise per image): max |diff| " + d);
        assertTrue(d < 1e-4, "max |diff| " + d);
        assertTrue(batch.infotext(2).contains("Seed: 4002,"), batch.infotext(2));
        assertTrue(batch.infotext(0).contains("Seed: 4000,"), batch.infotext(0));
        assertEquals(4001, batch.seed(1));
    }
}
