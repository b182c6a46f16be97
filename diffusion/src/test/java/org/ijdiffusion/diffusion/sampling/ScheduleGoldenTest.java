package org.ijdiffusion.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ijdiffusion.diffusion.testutil.GoldenSampler;
import org.junit.jupiter.api.Test;

/** Timesteps, sigmas and initial sigmas equal to the ones diffusers recorded. */
class ScheduleGoldenTest {
    private static final double SIGMA_TOL = 2e-7; // relative: 1-2 float32 ulp

    @Test
    void tenStepSchedulesOfEverySampler() throws Exception {
        JsonObject all = Golden.json(Golden.components().resolve("schedulers.json"));
        // every sampler but the few-step ones (their schedules are checked on their pipeline goldens)
        assertEquals(SamplerKind.values().length - 2, all.size());
        for (Map.Entry<String, com.google.gson.JsonElement> e : all.entrySet()) {
            check(SamplerKind.fromName(e.getKey()), TimestepSpacing.DEFAULT, 10, 0, e.getValue().getAsJsonObject(), "timesteps",
                    "components " + e.getKey());
        }
    }

    @Test
    void pipelineSchedules() throws Exception {
        List<Path> jobs = new ArrayList<>();
        try (Stream<Path> s = Files.list(Golden.pipelines())) {
            s.filter(p -> Files.exists(p.resolve("result.json"))).sorted().forEach(jobs::add);
        }
        assertTrue(jobs.size() >= 10, "pipeline goldens found: " + jobs.size());
        for (Path job : jobs) {
            JsonObject r = Golden.json(job.resolve("result.json"));
            JsonObject req = r.getAsJsonObject("job");
            GoldenSampler gs = GoldenSampler.of(req);
            SamplerKind kind = gs.kind();
            int steps = req.get("steps").getAsInt();
            int start = 0;
            if (req.has("strength") && !req.get("strength").isJsonNull() && !"txt2img".equals(req.get("mode").getAsString())) {
                double strength = req.get("strength").getAsDouble();
                start = steps - Math.min((int) (steps * strength), steps);
            }
            String what = job.getFileName().toString();
            check(kind, gs.spacing(), steps, 0, r, "scheduler_timesteps", what);
            float[] unet = Golden.floats(r.get("unet_timesteps"));
            Schedule s = Schedule.of(kind, gs.spacing(), steps, NoiseSchedule.SD15).startingAt(start);
            assertArrayEquals(unet, s.timesteps(), what + " unet timesteps");
            assertEquals(unet.length, s.steps(), what + " number of UNet calls");
        }
    }

    private static void check(SamplerKind kind, TimestepSpacing spacing, int steps, int start, JsonObject rec,
            String tsKey, String what) {
        Schedule s = Schedule.of(kind, spacing, steps, NoiseSchedule.SD15).startingAt(start);
        float[] t = Golden.floats(rec.get(tsKey));
        assertArrayEquals(t, s.timesteps(), what + " timesteps");
        float[] sig = Golden.floats(rec.get("sigmas"));
        if (sig == null) {
            assertNull(s.sigmas(), what);
        } else {
            float[] mine = s.sigmas();
            double rel = 0;
            for (int i = 0; i < sig.length; i++) {
                rel = Math.max(rel, Math.abs(mine[i] - sig[i]) / Math.max(sig[i], 1e-3));
            }
            System.out.printf("%s (%s, %d steps): sigmas max rel diff %.3g, max |diff| %.3g%n", what, kind.cliName(),
                    steps, rel, Golden.maxDiff(mine, sig));
            assertTrue(rel <= SIGMA_TOL, what + " sigmas: rel diff " + rel);
        }
        double init = rec.get("init_noise_sigma").getAsDouble();
        assertEquals(init, s.initNoiseSigma(), init * 1e-6, what + " init_noise_sigma");
    }
}
