package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.nn.Agreement;
import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.diffusion.nn.taesd.Taesd;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/**
 * Whole generations in bf16 on the tiny checkpoints: with a LoRA merged, 9-channel inpainting, and
 * the refusal on a CPU without bfloat16. The JVM must survive every path (DJL aborts it on any
 * bfloat16 type mapping), and the pictures must agree with the fp32 ones.
 */
class PipelineBf16Test {
    private static void needsBf16() {
        assumeTrue(CpuFeatures.current().hasNativeBf16(),
                "skipped: this CPU has no native bfloat16 (" + CpuFeatures.current().bf16Summary() + ")");
    }

    private static GenerationRequest.Builder cat(int steps) {
        return GenerationRequest.builder().prompt("a photo of a cat").negativePrompt("blurry").size(64, 64)
                .steps(steps).cfg(7.5).seed(1234).sampler(SamplerKind.EULER);
    }

    private static float[] generate(Path model, List<LoraSpec> loras, Precision p, GenerationRequest r) {
        try (SdModel sd = SdModel.load(model, null, loras, p)) {
            assertEquals(p, sd.precision());
            return new Pipeline(sd).generate(r, null).images().get(0).data();
        }
    }

    private static Agreement compare(String what, float[] fp32, float[] bf16) {
        for (float v : bf16) {
            assertTrue(Float.isFinite(v), what + ": non-finite pixel in bf16");
        }
        Agreement a = Agreement.of(fp32, bf16);
        System.out.println("bf16 vs fp32 picture, " + what + ": " + a);
        return a;
    }

    @Test
    void txt2imgWithAMergedLoraAgreesWithFloat32() {
        needsBf16();
        Path model = TestData.model("tiny-sd15.safetensors");
        List<LoraSpec> lora = List.of(LoraSpec.of(TestData.model("tiny-lora.safetensors"), 1.0));
        GenerationRequest r = cat(4).build();
        Agreement a = compare("txt2img + LoRA, 4 Euler steps", generate(model, lora, Precision.FP32, r),
                generate(model, lora, Precision.BF16, r));
        assertTrue(a.cosine() > 0.99, a.toString());
    }

    @Test
    void nineChannelInpaintingRunsInBf16() {
        needsBf16();
        float[] rgb = new float[64 * 64 * 3];
        float[] mask = new float[64 * 64];
        for (int i = 0; i < mask.length; i++) {
            int x = i % 64;
            int y = i / 64;
            mask[i] = x >= 16 && x < 48 && y >= 16 && y < 48 ? 1f : 0f;
            for (int c = 0; c < 3; c++) {
                rgb[i * 3 + c] = ((x * (c + 1) + y) % 64) / 63f;
            }
        }
        GenerationRequest r = cat(3).init(new FloatImage(64, 64, 3, rgb)).mask(new FloatImage(64, 64, 1, mask))
                .strength(1.0).build();
        Path model = TestData.model("tiny-sd15-inpaint.safetensors");
        Agreement a = compare("9-channel inpainting, 3 steps", generate(model, List.of(), Precision.FP32, r),
                generate(model, List.of(), Precision.BF16, r));
        assertTrue(a.cosine() > 0.99, a.toString());
    }

    @Test
    void theInfotextSaysBf16AndFp32sIsUnchanged() {
        needsBf16();
        Path model = TestData.model("tiny-sd15.safetensors");
        GenerationRequest r = cat(1).build();
        String fp32;
        try (SdModel sd = SdModel.load(model, null, List.of(), Precision.FP32)) {
            fp32 = new Pipeline(sd).generate(r, null).infotext();
            assertEquals(Infotext.format(r, r.seed(), sd.checkpoint().name(), sd.checkpoint().shortHash()), fp32);
        }
        String bf16;
        try (SdModel sd = SdModel.load(model, null, List.of(), Precision.BF16)) {
            bf16 = new Pipeline(sd).generate(r, null).infotext();
        }
        assertFalse(fp32.contains("Precision"), fp32);
        assertEquals(fp32 + ", Precision: bf16", bf16);
        InfotextReader.Parameters p = InfotextReader.parse(bf16);
        assertEquals("bf16", p.get("Precision"));
        assertEquals("1234", p.get("Seed")); // the keys before it still read back
        assertFalse(InfotextReader.parse(fp32).has("Precision"));
    }

    @Test
    void bf16IsRefusedByNameOnACpuWithoutIt() {
        String before = System.getProperty(CpuFeatures.PROPERTY);
        System.setProperty(CpuFeatures.PROPERTY, "fpu sse2 avx2 avx512f");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Precision.BF16.requireSupported());
            assertTrue(e.getMessage().contains("avx512_bf16") && e.getMessage().contains("amx_bf16"), e.getMessage());
            Precision.FP32.requireSupported(); // fp32 runs anywhere
        } finally {
            if (before == null) {
                System.clearProperty(CpuFeatures.PROPERTY);
            } else {
                System.setProperty(CpuFeatures.PROPERTY, before);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Precision.fromLabel("fp16"));
        assertEquals(Precision.BF16, Precision.fromLabel(" BF16 "));
    }

    /**
     * A bf16 model's TAESD runs in bf16: the previews and the draft decode come out float32, finite, at
     * image size, agree with the float32 TAESD of the same model's latents, and do not change the picture.
     */
    @Test
    void taesdPreviewsAndDraftOfABf16ModelRunInBf16() {
        needsBf16();
        Path model = TestData.model("tiny-sd15.safetensors");
        GenerationRequest r = cat(3).sampler(SamplerKind.LCM).cfg(1.0).build();
        try (SdModel sd = SdModel.load(model, null, List.of(), Precision.BF16)) {
            float[] without = new Pipeline(sd).generate(r, null).images().get(0).data();
            sd.useTaesd(TestData.root().resolve("taesd"));
            assertEquals("channels-last, bf16", sd.taesd().layout());
            List<FloatImage> previews = new ArrayList<>();
            ProgressListener l = new ProgressListener() {
                @Override
                public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                    previews.add(preview.get());
                }
            };
            float[] with = new Pipeline(sd).generate(r, l).images().get(0).data();
            assertArrayEquals(without, with, "previews do not change the picture");
            assertEquals(3, previews.size());
            for (FloatImage p : previews) {
                assertEquals(64, p.width());
                for (float v : p.data()) {
                    assertTrue(v >= 0 && v <= 1, "a preview pixel in [0, 1]: " + v);
                }
            }
            FloatImage draft = new Pipeline(sd).generate(cat(3).sampler(SamplerKind.LCM).cfg(1.0).draftDecode(true)
                    .build(), null).images().get(0);
            List<float[]> viaBf16 = new ArrayList<>();
            List<float[]> rawBf16 = new ArrayList<>();
            List<float[]> rawFp32 = new ArrayList<>();
            try (Taesd f = Taesd.load(
                    TestData.root().resolve("taesd"), sd.manager())) {
                new Pipeline(sd).tap((n, v) -> {
                    if (n.equals("latents_final")) {
                        viaBf16.add(sd.taesd().decode(v).toFloatArray());
                        rawBf16.add(sd.taesd().decodeRaw(v).toFloatArray());
                        rawFp32.add(f.decodeRaw(v).toFloatArray());
                    }
                    return v;
                }).generate(cat(3).sampler(SamplerKind.LCM).cfg(1.0).draftDecode(true).build(), null);
            }
            assertArrayEquals(viaBf16.get(0), draft.data(),
                    "the draft is the bf16 TAESD's decode of the final latents");
            // unclamped: the random weights drive TAESD's outputs far outside [0, 1], where clamping hides agreement
            Agreement a = compare("bf16 TAESD vs fp32 TAESD of the final latents (unclamped)", rawFp32.get(0),
                    rawBf16.get(0));
            assertTrue(a.cosine() >= 0.999, a.toString());
            assertTrue(a.relativeL2() > 1e-5, "bf16's numbers, not float32's: " + a);
        }
    }
}
