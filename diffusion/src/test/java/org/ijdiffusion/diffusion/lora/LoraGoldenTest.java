package org.ijdiffusion.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GoldenJob;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lora0.7_ddim golden from the LDM file and the diffusers folder; base weights stay untouched. */
class LoraGoldenTest {
    private static final String JOB = "lora0.7_ddim";

    static LoraSpec spec(GoldenJob job) {
        Path file = job.dir.resolve(job.job.get("lora").getAsString()).normalize();
        return LoraSpec.of(file, job.job.get("lora_multiplier").getAsDouble());
    }

    @ParameterizedTest(name = "lora0.7_ddim from {0}")
    @ValueSource(strings = {"ldm", "diffusers"})
    void reproducesTheGolden(String layout) throws Exception {
        GoldenJob job = new GoldenJob(JOB);
        try (SdModel model = SdModel.load(job.model(layout.equals("diffusers")), null, List.of(spec(job)))) {
            AppliedLora a = model.loras().get(0);
            assertEquals(210, a.merged(), "modules merged (the reference patched 210)");
            assertTrue(a.unmatched().isEmpty(), () -> "unmatched: " + a.unmatched());
            job.check(model, job.request().build(), layout);
        }
    }

    @Test
    void withAndThenWithoutTheLoraGivesTheBaseImageBitForBit() throws Exception {
        GoldenJob job = new GoldenJob(JOB);
        Path ldm = job.model(false);
        GenerationRequest r = job.request().build();
        try (SdModel base = SdModel.load(ldm, null)) {
            float[] before = new Pipeline(base).generate(r, null).images().get(0).data();
            float[] with;
            try (SdModel lora = SdModel.load(ldm, null, List.of(spec(job)))) {
                with = new Pipeline(lora).generate(r, null).images().get(0).data();
            }
            float[] after = new Pipeline(base).generate(r, null).images().get(0).data();
            float[] reloaded;
            try (SdModel again = SdModel.load(ldm, null)) {
                reloaded = new Pipeline(again).generate(r, null).images().get(0).data();
            }
            assertFalse(Arrays.equals(before, with), "the LoRA changes the image");
            assertArrayEquals(before, after, "the base model is unchanged by loading the LoRA");
            assertArrayEquals(before, reloaded, "reloading without the LoRA gives the base image");
        }
    }
}
