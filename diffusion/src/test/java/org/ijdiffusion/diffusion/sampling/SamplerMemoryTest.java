package org.ijdiffusion.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Long runs with a cheap fake model: nothing accumulates in the latents' manager; cancelling frees all. */
class SamplerMemoryTest {
    /** A cheap stand-in for the UNet: its temporaries are created in the input's manager. */
    private static NDArray fakeEps(NDArray in, float t) {
        return in.mul(0.05f).add(in.sin().mul(0.5f)).add(t / 1000f);
    }

    @ParameterizedTest
    @EnumSource(SamplerKind.class)
    void manyStepsKeepTheManagerFlat(SamplerKind kind) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray x0 = m.randomNormal(new Shape(1, 4, 8, 8));
            // LCM and TCD pick from their 50-step distillation schedule: 50 is their most
            int stepCount = kind == SamplerKind.LCM || kind == SamplerKind.TCD ? FewStepSpacing.ORIGINAL_STEPS : 60;
            Schedule s = Schedule.of(kind, stepCount, NoiseSchedule.SD15);
            NDArray x = x0.mul((float) s.initNoiseSigma());
            int baseline = m.getManagedArrays().size();
            List<Integer> counts = new ArrayList<>();
            NDArray out = kind.sampler().sample((in, t, i) -> fakeEps(in, t), x, s, m::randomNormal,
                    (i, steps, latents) -> {
                        counts.add(m.getManagedArrays().size());
                        return latents;
                    });
            assertEquals(s.steps(), counts.size());
            int steady = counts.get(6);
            for (int i = 6; i < counts.size(); i++) {
                // constant once the history is full (the last, lower-order DPM++ step needs fewer)
                assertTrue(counts.get(i) <= steady, kind + " arrays alive at step " + i + ": " + counts);
            }
            assertEquals(baseline + 1, m.getManagedArrays().size(), kind + ": only the result is left");
            float[] v = out.toFloatArray();
            for (float f : v) {
                assertTrue(Float.isFinite(f), kind + " produced " + f);
            }
            assertFalse(x.isReleased(), "the caller's latents are not closed");
            System.out.printf("%s: %d steps, %d arrays alive during a step, %d after%n", kind.cliName(), s.steps(),
                    steady - baseline, m.getManagedArrays().size() - baseline);
        }
    }

    @ParameterizedTest
    @EnumSource(SamplerKind.class)
    void cancellingFreesEverything(SamplerKind kind) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 4, 8, 8));
            Schedule s = Schedule.of(kind, 20, NoiseSchedule.SD15).startingAt(5);
            int baseline = m.getManagedArrays().size();
            assertThrows(CancellationException.class, () -> kind.sampler().sample((in, t, i) -> fakeEps(in, t), x, s,
                    m::randomNormal, (i, steps, latents) -> {
                        if (i == 7) {
                            throw new CancellationException("stop");
                        }
                        return latents.mul(1f); // a replacement array, as the inpainting blend makes
                    }));
            assertEquals(baseline, m.getManagedArrays().size(), kind + ": arrays left after cancel");
        }
    }
}
