package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.Diffs;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/**
 * Prompt editing, alternation and AND through the pipeline on the tiny model: the context of every UNet
 * call is the one A1111's schedule picks, and composable diffusion combines the predictions as
 * {@code u + sum_i w_i * cfg * (c_i - u)}.
 */
class PromptSchedulingPipelineTest {
    private static SdModel tiny() {
        return PipelineGoldenTest.model(TestData.model("tiny-sd15.safetensors"));
    }

    private static GenerationRequest.Builder req(String prompt, double cfg, int steps) {
        return GenerationRequest.builder().prompt(prompt).negativePrompt("blurry").size(64, 64).steps(steps)
                .cfg(cfg).seed(77).sampler(SamplerKind.EULER);
    }

    /** The context of every call, by call index. */
    private static Map<Integer, float[]> contexts(GenerationRequest r, List<long[]> shapes) {
        Map<Integer, float[]> out = new HashMap<>();
        new Pipeline(tiny()).tap((name, v) -> {
            if (name.startsWith("context_call")) {
                out.put(Integer.parseInt(name.substring("context_call".length())), v.toFloatArray());
                shapes.add(v.getShape().getShape());
            }
            return v;
        }).generate(r, null);
        return out;
    }

    /** [uncond, cond...] as the plain path would build it from single encodes. */
    private static float[] expected(String negative, String... conds) {
        SdModel m = tiny();
        try (NDManager s = m.manager().newSubManager()) {
            NDList l = new NDList(m.conditioner().encode(negative, 1, s).embedding());
            for (String c : conds) {
                l.add(m.conditioner().encode(c, 1, s).embedding());
            }
            return NDArrays.concat(l, 0).toFloatArray();
        }
    }

    @Test
    void editSwitchesAfterTheA1111Boundary() {
        // [a cat:a dog:1] over 4 steps: entries (1, "a cat"), (4, "a dog"); calls 0 and 1 use the first
        Map<Integer, float[]> c = contexts(req("[a cat:a dog:1]", 7.5, 4).build(), new ArrayList<>());
        float[] cat = expected("blurry", "a cat");
        float[] dog = expected("blurry", "a dog");
        assertArrayEquals(cat, c.get(0));
        assertArrayEquals(cat, c.get(1));
        assertArrayEquals(dog, c.get(2));
        assertArrayEquals(dog, c.get(3));
    }

    @Test
    void alternationAndNegativeSchedule() {
        GenerationRequest r = req("[a cat|a dog]", 7.5, 4).negativePrompt("[blurry::2]").build();
        Map<Integer, float[]> c = contexts(r, new ArrayList<>());
        assertArrayEquals(expected("blurry", "a cat"), c.get(0));
        assertArrayEquals(expected("blurry", "a cat"), c.get(1));
        assertArrayEquals(expected("blurry", "a dog"), c.get(2));
        assertArrayEquals(expected("", "a cat"), c.get(3));
    }

    @Test
    void andPartsAddTheirWeightedGuidance() {
        // u + 3(c - u) + 3(c - u) = u + 6(c - u): "a cat AND a cat" at cfg 3 is "a cat" at cfg 6
        float[] twice = new Pipeline(tiny()).generate(req("a cat AND a cat", 3, 4).build(), null).images().get(0).data();
        float[] plain = new Pipeline(tiny()).generate(req("a cat", 6, 4).build(), null).images().get(0).data();
        float[] other = new Pipeline(tiny()).generate(req("a cat", 3, 4).build(), null).images().get(0).data();
        double d = Diffs.maxAbsDiff(twice, plain);
        System.out.println("AND twice at cfg 3 vs plain at cfg 6: max |diff| " + d + "; vs cfg 3: " + Diffs.maxAbsDiff(twice, other));
        assertTrue(d < 1e-4, "max |diff| " + d);
        assertTrue(Diffs.maxAbsDiff(twice, other) > 1e-2);
        // a single part of weight 0.5 at cfg 8 is the plain prompt at cfg 4
        float[] half = new Pipeline(tiny()).generate(req("a cat:0.5", 8, 4).build(), null).images().get(0).data();
        float[] four = new Pipeline(tiny()).generate(req("a cat", 4, 4).build(), null).images().get(0).data();
        assertTrue(Diffs.maxAbsDiff(half, four) < 1e-4, "max |diff| " + Diffs.maxAbsDiff(half, four));
        // weight 1 written out is the plain prompt, bit for bit
        float[] one = new Pipeline(tiny()).generate(req("a cat:1", 6, 4).build(), null).images().get(0).data();
        assertArrayEquals(plain, one);
    }

    @Test
    void andRunsUncondAlsoAtCfgOneAndPadsLongParts() {
        List<long[]> shapes = new ArrayList<>();
        String longPart = "a red cat ".repeat(30); // 90 tokens: two chunks
        contexts(req("a cat AND " + longPart, 1, 2).batch(2).build(), shapes);
        // batch 2: [uncond x2, part 1 x2, part 2 x2]; every item padded to 2 chunks
        assertArrayEquals(new long[] {6, 154, shapes.get(0)[2]}, shapes.get(0));
    }

    @Test
    void plainPromptWithTagIsUnchangedAndWarned() {
        List<String> warnings = new ArrayList<>();
        ProgressListener l = new ProgressListener() {
            @Override
            public void onWarning(String message) {
                warnings.add(message);
            }
        };
        float[] tagged = new Pipeline(tiny()).generate(req("a cat<hypernet:foo:1>", 6, 3).build(), l).images().get(0).data();
        float[] plain = new Pipeline(tiny()).generate(req("a cat", 6, 3).build(), null).images().get(0).data();
        assertArrayEquals(plain, tagged);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("<hypernet:foo:1>"), warnings.get(0));
    }
}
