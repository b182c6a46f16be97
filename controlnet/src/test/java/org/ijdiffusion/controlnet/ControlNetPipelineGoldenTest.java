package org.ijdiffusion.controlnet;

import static org.ijdiffusion.diffusion.testutil.Diffs.maxAbsDiff;
import static org.ijdiffusion.diffusion.testutil.Diffs.maxLevelDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GoldenJob;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.PipelineGoldenTest;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every controlnet_* pipeline golden, from both ControlNet layouts. */
class ControlNetPipelineGoldenTest {
    private static final NDManager NETS = NDManager.newBaseManager();
    private static final Map<String, ControlNet> LOADED = new HashMap<>();

    static ControlNet net(String file) {
        return LOADED.computeIfAbsent(file, f -> {
            ControlNetCheckpoint c = ControlNetCheckpoint.open(TestData.model(f));
            return ControlNet.load(c, NETS);
        });
    }

    @AfterAll
    static void close() {
        NETS.close();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "controlnet_txt2img_euler, tiny-controlnet.safetensors",
        "controlnet_txt2img_euler, tiny-controlnet",
        "controlnet_txt2img_ddim_scale0.8_guid0.1-0.6, tiny-controlnet.safetensors",
        "controlnet_txt2img_ddim_scale0.8_guid0.1-0.6, tiny-controlnet",
        "controlnet_img2img_dpmpp_2m_s0.6, tiny-controlnet.safetensors",
        "controlnet_img2img_dpmpp_2m_s0.6, tiny-controlnet",
        "controlnet_inpaint_legacy4ch_ddim_s0.8, tiny-controlnet.safetensors",
        "controlnet_inpaint_legacy4ch_ddim_s0.8, tiny-controlnet",
    })
    void reproducesTheGolden(String name, String controlFile) throws Exception {
        GoldenJob job = new GoldenJob(name);
        SdModel model = PipelineGoldenTest.model(job.model(false));
        double scale = job.job.has("controlnet_scale") ? job.job.get("controlnet_scale").getAsDouble() : 1.0;
        double start = job.job.has("control_guidance_start") ? job.job.get("control_guidance_start").getAsDouble() : 0.0;
        double end = job.job.has("control_guidance_end") ? job.job.get("control_guidance_end").getAsDouble() : 1.0;
        FloatImage hint = GoldenJob.rgb(job.dir.resolve(job.job.get("control_image").getAsString()).normalize());
        ControlNet net = net(controlFile);
        net.checkFits(model.unet().config());
        ControlUnit unit = new ControlUnit(net, hint, scale, start, end, ControlMode.BALANCED,
                ResizeMode.CROP_AND_RESIZE, "tiny-controlnet", "none");
        GenerationRequest.Builder b = job.request();
        if ("txt2img".equals(job.job.get("controlnet_mode").getAsString())) {
            b.strength(1.0);
        }
        job.check(model, b.control(unit).build(), controlFile);
    }
}
