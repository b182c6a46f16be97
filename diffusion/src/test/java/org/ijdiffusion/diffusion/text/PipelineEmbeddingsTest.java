package org.ijdiffusion.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** Prompt and negative-prompt embeddings recorded by the reference pipeline runs. */
class PipelineEmbeddingsTest {

    private static void check(String job, int clipSkip, int negativeClipSkip) {
        try (SafetensorsFile model = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"));
                SafetensorsFile g = SafetensorsFile.open(TestData.golden().resolve("pipelines/" + job + "/result.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            ClipTextEncoder enc = ClipTextEncoder.load(new PrefixWeights(model, "cond_stage_model.transformer."), m);
            PromptConditioner c = new PromptConditioner(ClipTokenizer.standard(), enc);
            PromptConditioner.ConditioningPair pair = c.encodePair("a photo of a cat", "blurry, low quality", clipSkip, negativeClipSkip, m);
            double dp = ClipTextEncoderTest.maxDiff(pair.positive().toFloatArray(), g.floats("prompt_embeds"));
            double dn = ClipTextEncoderTest.maxDiff(pair.negative().toFloatArray(), g.floats("negative_prompt_embeds"));
            System.out.printf("PromptConditioner vs %s (clip skip %d, negative %d): prompt_embeds max |diff| = %.3g, negative_prompt_embeds %.3g%n",
                    job, clipSkip, negativeClipSkip, dp, dn);
            assertTrue(dp < ClipTextEncoderTest.TOLERANCE && dn < ClipTextEncoderTest.TOLERANCE, job + ": " + dp + ", " + dn);
        }
    }

    @Test
    void txt2img() {
        check("txt2img_ddim", 1, 1);
    }

    /** diffusers 0.27 applies clip_skip to the prompt only; its negative embeddings are the last layer's. */
    @Test
    void clipSkip2() {
        check("clipskip2_euler", 2, 1);
    }
}
