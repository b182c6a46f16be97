package org.ijdiffusion.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.testutil.GoldenSampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first two denoising steps of each txt2img / img2img / ControlNet pipeline golden, with the
 * recorded UNet outputs (combined with CFG) standing in for the model: initial latents from the seeded
 * noise, the UNet inputs, and the latents after steps 0 and 1 (img2img: started part-way, ancestral
 * noise drawn from the same generator).
 */
class PipelineStepsGoldenTest {
    private static final double REL_TOL = 5e-7;
    private static final float VAE_SCALE = 0.18215f;

    static Stream<String> jobs() throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Golden.pipelines())) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (!Files.exists(p.resolve("result.json"))) {
                    continue;
                }
                JsonObject job = Golden.json(p.resolve("result.json")).getAsJsonObject("job");
                if (!job.has("mask_image")) { // inpainting needs the pipeline's mask handling
                    out.add(p.getFileName().toString());
                }
            }
        }
        return out.stream();
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    @ParameterizedTest
    @MethodSource("jobs")
    void firstTwoSteps(String name) throws Exception {
        Path dir = Golden.pipelines().resolve(name);
        JsonObject job = Golden.json(dir.resolve("result.json")).getAsJsonObject("job");
        GoldenSampler gs = GoldenSampler.of(job);
        SamplerKind kind = gs.kind();
        int steps = job.get("steps").getAsInt();
        float cfg = job.get("cfg").getAsFloat();
        boolean guided = cfg > 1f; // diffusers: no CFG batch at cfg <= 1
        try (SafetensorsFile g = SafetensorsFile.open(dir.resolve("result.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            Schedule s = Schedule.of(kind, gs.spacing(), steps, NoiseSchedule.SD15);
            Engine.getInstance().setRandomSeed(job.get("seed").getAsInt());
            NDArray noise0 = m.randomNormal(g.toFloat32("noise_0", m).getShape());
            assertEquals(0.0, Golden.maxDiff(noise0, g.toFloat32("noise_0", m)), "noise_0");
            NDArray x;
            if (g.names().contains("vae_encode_mean_0")) {
                s = s.forStrength(job.get("strength").getAsDouble());
                x = s.addNoise(g.toFloat32("vae_encode_mean_0", m).mul(VAE_SCALE), noise0, 0);
            } else {
                x = noise0.mul((float) s.initNoiseSigma());
            }
            List<Double> diffs = new ArrayList<>();
            float[] unetTimesteps = Golden.floats(Golden.json(dir.resolve("result.json")).get("unet_timesteps"));
            EpsModel model = (in, t, i) -> {
                assertEquals(unetTimesteps[i], t, name + " UNet timestep of step " + i);
                NDArray unetIn = g.toFloat32("unet_in_step" + i, m);
                assertEquals(guided ? 2 : 1, unetIn.getShape().get(0), name + ": UNet batch");
                diffs.add(Golden.relDiff(in, unetIn.get(new NDIndex("0:1"))));
                NDArray out = g.toFloat32("unet_out_step" + i, m);
                if (!guided) {
                    diffs.add(Golden.relDiff(in, unetIn.get(new NDIndex("0:1"))));
                    return out;
                }
                diffs.add(Golden.relDiff(in, unetIn.get(new NDIndex("1:2"))));
                NDArray u = out.get(new NDIndex("0:1"));
                NDArray c = out.get(new NDIndex("1:2"));
                return u.add(c.sub(u).mul(cfg));
            };
            StepHook hook = (i, n, latents) -> {
                diffs.add(Golden.relDiff(latents, g.toFloat32("latents_step" + i, m)));
                if (i == 1) {
                    throw new Stop();
                }
                return latents;
            };
            int[] draws = {1};
            NoiseSource recordedDraws = shape -> {
                NDArray n = m.randomNormal(shape);
                String key = "noise_" + draws[0]++;
                if (g.names().contains(key)) { // every draw of the sampler is the reference's, in order
                    assertEquals(0.0, Golden.maxDiff(n, g.toFloat32(key, m)), name + " " + key);
                }
                return n;
            };
            try {
                kind.sampler(gs.effectiveEta()).sample(model, x, s, recordedDraws, hook);
            } catch (Stop expected) {
                // two steps done
            }
            assertEquals(6, diffs.size());
            double max = diffs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            System.out.printf("%s (%s, start t=%.1f): relative diffs [in0 in0 step0 in1 in1 step1] %s, max %.3g%n",
                    name, kind.cliName(), s.timestep(0), diffs, max);
            assertTrue(max <= REL_TOL, name + " relative diff " + max);
        }
    }
}
