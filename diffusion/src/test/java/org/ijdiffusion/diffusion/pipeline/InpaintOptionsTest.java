package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Masked content (latent noise / latent nothing) and soft masks (Differential Diffusion). */
class InpaintOptionsTest {

    /** A soft-mask request with a 0/1 mask is the binary request: both inpaint goldens still pass. */
    @ParameterizedTest
    @ValueSource(strings = {"inpaint_legacy4ch_ddim_s0.75", "inpaint_9ch_ddim_s0.6"})
    void softPathReducesToTheGoldensForBinaryMasks(String name) throws Exception {
        GoldenJob job = new GoldenJob(name);
        job.check(PipelineGoldenTest.model(job.model(false)), job.request().softMask(true).build(), "soft mask on");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LATENT_NOISE", "LATENT_NOTHING", "ORIGINAL", "FILL"})
    void maskedContentSetsTheStartLatentsAsA1111(String mode) throws Exception {
        MaskedContent content = MaskedContent.valueOf(mode);
        GoldenJob job = new GoldenJob("inpaint_legacy4ch_ddim_s0.75");
        GenerationRequest r = job.request().maskedContent(content).build();
        Map<String, float[]> seen = new HashMap<>();
        new Pipeline(PipelineGoldenTest.model(job.model(false)))
                .tap((n, v) -> {
                    if (n.equals("noise_0") || n.equals("vae_encode_mean_0") || n.equals("start_latents")) {
                        seen.put(n, v.toFloatArray());
                    }
                    return v;
                }).generate(r, null);
        float[] start = seen.get("start_latents");
        float[] noise = seen.get("noise_0");
        float[] mean = seen.get("vae_encode_mean_0");
        int lw = r.width() / 8;
        int lh = r.height() / 8;
        int masked = 0;
        for (int c = 0; c < 4; c++) {
            for (int y = 0; y < lh; y++) {
                for (int x = 0; x < lw; x++) {
                    int i = (c * lh + y) * lw + x;
                    boolean repaint = r.mask().data()[8 * y * r.width() + 8 * x] >= 0.5f;
                    float image = mean[i] * SdModel.SCALING;
                    float expected = !repaint ? image : switch (content) {
                        case LATENT_NOISE -> noise[i];
                        case LATENT_NOTHING -> 0f;
                        default -> image;
                    };
                    masked += repaint ? 1 : 0;
                    assertEquals(expected, start[i], 1e-6f, mode + " at " + c + "," + x + "," + y);
                }
            }
        }
        assertTrue(masked > 0 && masked < 4 * lw * lh);
    }

    @Test
    void maskedContentNames() {
        assertEquals(MaskedContent.LATENT_NOISE, MaskedContent.fromName("latent noise"));
        assertEquals(MaskedContent.LATENT_NOTHING, MaskedContent.fromName("latent_nothing"));
        assertEquals("fill", MaskedContent.fromName("FILL").label());
        assertThrows(IllegalArgumentException.class, () -> MaskedContent.fromName("blur"));
    }

    /**
     * Three bands of mask level 1, 0.5 and 0 (soft, strength 1, 20 DDIM steps). "Changed half as
     * much" in diffusion terms: the 0.5 band is denoised as by an img2img at strength 0.5, i.e. it
     * moves from the image latents about as far as the same image under a full mask at strength 0.5
     * (the bands only differ through the model's receptive field); the 0 band does not move at all.
     * The printed ratio to the full band shows how far the random tiny model carries a full repaint.
     */
    @Test
    void halfMaskChangesAboutHalfAsMuch() throws Exception {
        int w = 64;
        int h = 64;
        float[] bands = new float[w * h];
        for (int y = 0; y < h; y++) {
            Arrays.fill(bands, y * w, y * w + 24, 1f);
            Arrays.fill(bands, y * w + 24, y * w + 48, 0.5f);
        }
        float[] full = new float[w * h];
        Arrays.fill(full, 1f);
        double[] soft = bandChanges(bands, 1.0, true);
        double[] half = bandChanges(full, 0.5, false);
        double ratio = soft[1] / half[1];
        System.out.printf("soft mask: mean |latent change| at 1: %.4f, at 0.5: %.4f, at 0: %.2e;"
                + " full mask at strength 0.5: %.4f (ratio %.3f)%n", soft[0], soft[1], soft[2], half[1], ratio);
        assertEquals(0.0, soft[2], 0.0);
        assertTrue(soft[1] < soft[0]);
        assertTrue(ratio > 0.8 && ratio < 1.25, "ratio " + ratio);
    }

    /** Mean |final latents - image latents| over the latent columns 0-2, 3-5 and 6-7. */
    private static double[] bandChanges(float[] mask, double strength, boolean softMask) throws Exception {
        GoldenJob job = new GoldenJob("inpaint_legacy4ch_ddim_s0.75");
        GenerationRequest r = job.request().mask(new FloatImage(64, 64, 1, mask)).softMask(softMask)
                .strength(strength).sampler(SamplerKind.DDIM).steps(20).build();
        float[][] seen = new float[2][];
        new Pipeline(PipelineGoldenTest.model(job.model(false))).tap((n, v) -> {
            if (n.equals("vae_encode_mean_0")) {
                seen[0] = v.mul(SdModel.SCALING).toFloatArray();
            } else if (n.equals("latents_final")) {
                seen[1] = v.toFloatArray();
            }
            return v;
        }).generate(r, null);
        double[] change = new double[3];
        int[] count = new int[3];
        for (int i = 0; i < seen[1].length; i++) {
            int x = i % 8;
            int band = x < 3 ? 0 : x < 6 ? 1 : 2;
            change[band] += Math.abs(seen[1][i] - seen[0][i]);
            count[band]++;
        }
        for (int k = 0; k < 3; k++) {
            change[k] /= count[k];
        }
        return change;
    }
}
