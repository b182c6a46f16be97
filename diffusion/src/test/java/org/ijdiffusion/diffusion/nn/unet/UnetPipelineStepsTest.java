package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The UNet calls recorded inside whole pipeline runs (CFG batch [uncond, cond], fractional Euler
 * timesteps, the 96x64 image's 8x12 latent, the 9-channel inpainting input).
 */
class UnetPipelineStepsTest {

    @ParameterizedTest
    @CsvSource({"txt2img_euler_96x64, tiny-sd15.safetensors", "txt2img_euler, tiny-sd15.safetensors",
            "inpaint_9ch_euler_s1.0, tiny-sd15-inpaint.safetensors"})
    void reproducesTheRecordedUnetCalls(String job, String modelFile) throws Exception {
        Path dir = TestData.golden().resolve("pipelines").resolve(job);
        JsonObject result = JsonParser.parseString(Files.readString(dir.resolve("result.json"))).getAsJsonObject();
        try (SafetensorsFile model = UnetFixtures.model(modelFile);
                SafetensorsFile g = SafetensorsFile.open(dir.resolve("result.safetensors"));
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            Unet unet = Unet.load(UnetFixtures.weights(model), UnetConfig.fromWeights(UnetFixtures.weights(model), 8),
                    weights);
            NDArray context = g.toFloat32("negative_prompt_embeds", m).concat(g.toFloat32("prompt_embeds", m), 0);
            for (int step = 0; step < 2; step++) {
                float t = result.getAsJsonArray("unet_timesteps").get(step).getAsFloat();
                NDArray out = unet.forward(g.toFloat32("unet_in_step" + step, m), t, context, null, null);
                UnetFixtures.assertClose(job + " step " + step + " t=" + t, g.toFloat32("unet_out_step" + step, m), out);
            }
        }
    }
}
