package org.ijdiffusion.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Three steps of every sampler against diffusers (components/schedulers.safetensors): x = sample0;
 * for k in 0..2: scaled_input_k = scale_model_input(x, t_k); x = step(model_output_k, t_k, x).
 */
class SamplerGoldenTest {
    /** Absolute on values of order 1; the multistep samplers' latents reach ~200 where float32 steps are 1.5e-5. */
    private static final double TOL = 1e-5;
    /** Relative to the reference's largest magnitude: a few float32 ulps. */
    private static final double REL_TOL = 5e-7;
    private static NDManager manager;
    private static SafetensorsFile golden;

    @BeforeAll
    static void open() throws Exception {
        manager = NDManager.newBaseManager();
        golden = SafetensorsFile.open(Golden.components().resolve("schedulers.safetensors"));
    }

    @AfterAll
    static void close() throws Exception {
        golden.close();
        manager.close();
    }

    private static NDArray t(String name) {
        return golden.toFloat32(name, manager);
    }

    /** Stops the sampler after three steps. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SamplerKind.class, names = {"LCM", "TCD"}, mode = EnumSource.Mode.EXCLUDE)
    void threeStepsMatchDiffusers(SamplerKind kind) {
        String p = kind.cliName() + ".";
        Schedule s = Schedule.of(kind, 10, NoiseSchedule.SD15);
        List<Double> inDiffs = new ArrayList<>();
        List<Double> outDiffs = new ArrayList<>();
        List<Double> relDiffs = new ArrayList<>();
        EpsModel model = (in, timestep, i) -> {
            NDArray want = t(p + "scaled_input_" + i);
            inDiffs.add(Golden.maxDiff(in, want));
            relDiffs.add(Golden.relDiff(in, want));
            return t("model_output_" + i);
        };
        StepHook hook = (i, steps, latents) -> {
            NDArray want = t(p + "prev_sample_" + i);
            outDiffs.add(Golden.maxDiff(latents, want));
            relDiffs.add(Golden.relDiff(latents, want));
            if (i == 2) {
                throw new Stop();
            }
            return latents;
        };
        NoiseSource noise = shape -> manager.randomNormal(shape);
        Engine.getInstance().setRandomSeed(300);
        try {
            kind.sampler().sample(model, t("sample0"), s, noise, hook);
        } catch (Stop expected) {
            // three steps done
        }
        assertEquals(3, outDiffs.size());
        double in = inDiffs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double out = outDiffs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double rel = relDiffs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("%s: scaled inputs max |diff| %.3g, prev samples max |diff| %.3g %s, relative %.3g%n",
                kind.cliName(), in, out, outDiffs, rel);
        assertTrue(rel <= REL_TOL, kind + " relative diff " + rel);
        if (kind != SamplerKind.DPMPP_2M && kind != SamplerKind.DPMPP_2M_KARRAS) {
            assertTrue(in <= TOL, kind + " scaled input diff " + in);
            assertTrue(out <= TOL, kind + " prev sample diff " + out);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SamplerKind.class, names = {"LCM", "TCD"}, mode = EnumSource.Mode.EXCLUDE)
    void addNoiseAtTheImg2ImgStart(SamplerKind kind) {
        Schedule s = Schedule.of(kind, 10, NoiseSchedule.SD15);
        int t = (int) s.timestep(4);
        NDArray mine = s.addNoise(t("original"), t("noise"), 4);
        double d = Golden.maxDiff(mine, t(kind.cliName() + ".add_noise_t" + t));
        System.out.printf("%s: add_noise at t=%d max |diff| %.3g%n", kind.cliName(), t, d);
        assertTrue(d <= TOL, kind + " add_noise diff " + d);
        // the same through startingAt
        double d2 = Golden.maxDiff(s.startingAt(4).addNoise(t("original"), t("noise"), 0), mine);
        assertEquals(0.0, d2);
    }

    @Test
    void ancestralNoiseIsTheSeededTorchNoise() {
        Engine.getInstance().setRandomSeed(300);
        for (int j = 0; j < 3; j++) {
            NDArray want = t("euler_a.step_noise_" + j);
            double d = Golden.maxDiff(manager.randomNormal(want.getShape()), want);
            System.out.printf("euler_a step noise %d: max |diff| %.3g%n", j, d);
            assertEquals(0.0, d);
        }
    }
}
