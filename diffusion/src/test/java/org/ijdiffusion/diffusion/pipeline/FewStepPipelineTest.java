package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No guidance at cfg &lt;= 1 for every sampler and mode (one UNet call of batch 1 per step, the negative
 * prompt not encoded), and the TAESD previews / draft decode of the pipeline.
 */
class FewStepPipelineTest {
    enum Mode { TXT2IMG, IMG2IMG, INPAINT_LEGACY, INPAINT_9CH }

    private static GenerationRequest.Builder request(Mode mode, SamplerKind kind, double cfg, String negative)
            throws Exception {
        GenerationRequest.Builder b = GenerationRequest.builder().prompt("a photo of a cat").negativePrompt(negative)
                .size(64, 64).steps(3).cfg(cfg).seed(7).sampler(kind);
        if (mode != Mode.TXT2IMG) {
            b.init(GoldenJob.rgb(TestData.golden().resolve("inputs/init.png"))).strength(0.75);
        }
        if (mode == Mode.INPAINT_LEGACY || mode == Mode.INPAINT_9CH) {
            b.mask(GoldenJob.gray(TestData.golden().resolve("inputs/mask.png")));
        }
        return b;
    }

    private static SdModel model(Mode mode) {
        return PipelineGoldenTest.model(TestData.model(mode == Mode.INPAINT_9CH ? "tiny-sd15-inpaint.safetensors"
                : "tiny-sd15.safetensors"));
    }

    /** Runs and returns the batch size of every UNet call; fails if the negative prompt was encoded. */
    private static List<Long> unetBatches(SdModel model, GenerationRequest r, List<String> names, float[][] image) {
        List<Long> batches = new ArrayList<>();
        Pipeline p = new Pipeline(model).tap((n, v) -> {
            names.add(n);
            if (n.startsWith("unet_in_step")) {
                batches.add(v.getShape().get(0));
            }
            return v;
        });
        image[0] = p.generate(r, null).images().get(0).data();
        return batches;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SamplerKind.class)
    void everySamplerAtCfgOneMakesOneUnetCallOfBatchOnePerStep(SamplerKind kind) throws Exception {
        GenerationRequest r = request(Mode.TXT2IMG, kind, 1.0, "blurry").steps(2).build();
        List<String> names = new ArrayList<>();
        List<Long> batches = unetBatches(model(Mode.TXT2IMG), r, names, new float[1][]);
        assertEquals(r.schedule().steps(), batches.size(), kind + ": UNet calls");
        assertTrue(batches.stream().allMatch(x -> x == 1), kind + ": batches " + batches);
        assertFalse(names.contains("negative_prompt_embeds"), kind + ": negative prompt encoded");
    }

    /** CFG lives in the denoiser the samplers share: every mode, with a sigma and an alpha sampler. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SamplerKind.class, names = {"EULER_A", "LCM"})
    void cfgOneOrLessIsUnguidedInEveryMode(SamplerKind kind) throws Exception {
        for (Mode mode : Mode.values()) {
            SdModel model = model(mode);
            GenerationRequest unguided = request(mode, kind, 1.0, "blurry").build();
            int calls = unguided.schedule().forStrength(unguided.strength()).steps();
            for (double cfg : mode == Mode.TXT2IMG ? new double[] {1.0, 0.5} : new double[] {1.0}) {
                List<String> names = new ArrayList<>();
                List<Long> batches = unetBatches(model, request(mode, kind, cfg, "blurry").build(), names,
                        new float[1][]);
                assertEquals(calls, batches.size(), kind + " " + mode + " cfg " + cfg + ": UNet calls");
                assertTrue(batches.stream().allMatch(x -> x == 1), kind + " " + mode + ": batches " + batches);
                assertFalse(names.contains("negative_prompt_embeds"), kind + " " + mode + ": negative prompt encoded");
            }
            if (mode == Mode.INPAINT_LEGACY) { // the negative prompt does not matter then, bit for bit
                float[][] a = new float[1][];
                float[][] b = new float[1][];
                unetBatches(model, request(mode, kind, 1.0, "blurry").build(), new ArrayList<>(), a);
                unetBatches(model, request(mode, kind, 1.0, "").build(), new ArrayList<>(), b);
                assertArrayEquals(a[0], b[0], kind + " " + mode);
            }
            List<Long> guided = unetBatches(model, request(mode, kind, 1.5, "blurry").build(), new ArrayList<>(),
                    new float[1][]);
            assertEquals(calls, guided.size());
            assertTrue(guided.stream().allMatch(x -> x == 2), kind + " " + mode + " guided: " + guided);
        }
        System.out.printf("%s: cfg 1 and 0.5 one UNet call of batch 1 per step in %d modes; cfg 1.5 batch 2%n",
                kind.cliName(), Mode.values().length);
    }

    @Test
    void previewsAreTaesdDecodesOfThePredictedCleanImageWhenLoaded() throws Exception {
        try (SdModel model = SdModel.load(TestData.model("tiny-sd15.safetensors"), null)) {
            GenerationRequest r = request(Mode.TXT2IMG, SamplerKind.LCM, 1.0, "").build();
            List<String> sizes = new ArrayList<>();
            ProgressListener l = new ProgressListener() {
                @Override
                public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                    FloatImage p = preview.get();
                    sizes.add(p.width() + "x" + p.height());
                }
            };
            float[] vae = new Pipeline(model).generate(r, l).images().get(0).data();
            assertEquals(List.of("8x8", "8x8", "8x8"), sizes, "without TAESD: the latent approximation");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pipeline(model)
                    .generate(request(Mode.TXT2IMG, SamplerKind.LCM, 1.0, "").draftDecode(true).build(), null));
            assertTrue(e.getMessage().contains("TAESD"), e.getMessage());

            model.useTaesd(TestData.root().resolve("taesd"));
            sizes.clear();
            float[] same = new Pipeline(model).generate(r, l).images().get(0).data();
            assertEquals(List.of("64x64", "64x64", "64x64"), sizes, "TAESD previews at image size");
            assertArrayEquals(vae, same, "previews do not change the picture");
            FloatImage draft = new Pipeline(model).generate(request(Mode.TXT2IMG, SamplerKind.LCM, 1.0, "")
                    .draftDecode(true).build(), null).images().get(0);
            assertEquals(64, draft.width());
            // the draft is TAESD's decode of the final latents, clamped
            List<float[]> last = new ArrayList<>();
            new Pipeline(model).tap((n, v) -> {
                if (n.equals("latents_final")) {
                    last.add(model.taesd().decode(v).toFloatArray());
                }
                return v;
            }).generate(request(Mode.TXT2IMG, SamplerKind.LCM, 1.0, "").draftDecode(true).build(), null);
            assertArrayEquals(last.get(0), draft.data());
        }
    }
}
