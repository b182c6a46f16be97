package org.ijdiffusion.diffusion.pipeline;

import static org.ijdiffusion.diffusion.testutil.Diffs.maxAbsDiff;
import static org.ijdiffusion.diffusion.testutil.Diffs.maxLevelDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The legacy 4-channel inpainting golden (DDIM, strength 0.75) ends 1.1e-3 from the reference image,
 * above the 1e-3 the other goldens meet. The cause is measured here, not assumed: at its second step
 * the random-weight UNet is ill-conditioned. Fed the reference's own recorded step-1 input, our UNet
 * differs from the reference's step-1 output by ~1e-4 (vs ~2e-6 at every other step checked), and
 * scaling that input by (1 + 1e-7), below float32 resolution of most elements, moves our own output
 * by ~2e-5, ten times more than at the other steps. Float32 rounding differences between libtorch
 * 2.7 and 1.13 are amplified there and carried by DDIM to the end. Every input of that step (prompt
 * embeddings, noise, VAE encoding, step-0 UNet output) agrees with the reference to ~1e-6..1e-5.
 * This test pins those facts and bounds the end-to-end result at 1 PNG level.
 */
class IllConditionedGoldenTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-sd15.safetensors", "tiny-sd15"})
    void legacyInpaintDdimIsBoundedByTheUnetsConditioning(String modelFile) throws Exception {
        GoldenJob job = new GoldenJob("inpaint_legacy4ch_ddim_s0.75");
        SdModel model = PipelineGoldenTest.model(org.ijdiffusion.diffusion.testutil.TestData.model(modelFile));
        var result = JsonParser.parseString(Files.readString(job.dir.resolve("result.json"))).getAsJsonObject();
        try (SafetensorsFile g = job.tensors(); NDManager m = NDManager.newBaseManager()) {
            NDArray ctx = NDArrays.concat(new NDList(g.toFloat32("negative_prompt_embeds", m), g.toFloat32("prompt_embeds", m)), 0);
            double[] diff = new double[2];
            double[] sensitivity = new double[2];
            for (int k = 0; k < 2; k++) {
                float t = result.getAsJsonArray("unet_timesteps").get(k).getAsFloat();
                NDArray in = g.toFloat32("unet_in_step" + k, m);
                float[] out = model.unet().forward(in, t, ctx, null, null).toFloatArray();
                float[] bumped = model.unet().forward(in.mul(1f + 1e-7f), t, ctx, null, null).toFloatArray();
                diff[k] = maxAbsDiff(g.floats("unet_out_step" + k), out);
                sensitivity[k] = maxAbsDiff(bumped, out);
            }
            FloatImage image = new Pipeline(model).generate(job.request().build(), null).images().get(0);
            double d = maxAbsDiff(g.floats("image"), image.data());
            int levels = maxLevelDiff(job.png(), image);
            System.out.printf("golden inpaint_legacy4ch_ddim_s0.75 (%s): UNet on the reference's inputs: step 0 %.3e, "
                    + "step 1 %.3e; output moved by an input x(1+1e-7): step 0 %.3e, step 1 %.3e; image %.3e, PNG %d levels%n",
                    modelFile, diff[0], diff[1], sensitivity[0], sensitivity[1], d, levels);
            assertTrue(diff[0] < 1e-5, "step 0 UNet agrees: " + diff[0]);
            assertTrue(sensitivity[1] > 3 * sensitivity[0], "step 1 is the ill-conditioned one");
            assertTrue(levels <= 1, "PNG within one level: " + levels);
        }
    }
}
