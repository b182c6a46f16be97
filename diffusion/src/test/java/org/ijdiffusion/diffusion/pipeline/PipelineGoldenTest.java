package org.ijdiffusion.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import static org.ijdiffusion.diffusion.testutil.Diffs.maxAbsDiff;
import static org.ijdiffusion.diffusion.testutil.Diffs.maxLevelDiff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every txt2img, img2img, clip-skip, 96x64 and inpainting pipeline golden, from the LDM file and from
 * the diffusers folder: max |diff| of the float image and of the PNG in 8-bit levels.
 */
public class PipelineGoldenTest {
    /** FIXTURES.md: "well under 1e-3 on final float images". */
    public static final double IMAGE_TOLERANCE = 1e-3;
    private static final Map<Path, SdModel> MODELS = new HashMap<>();

    public static SdModel model(Path p) {
        return MODELS.computeIfAbsent(p, k -> SdModel.load(k, null));
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(SdModel::close);
        MODELS.clear();
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "txt2img_ddim, ldm", "txt2img_pndm, ldm", "txt2img_euler, ldm", "txt2img_euler_a, ldm",
        "txt2img_lms, ldm", "txt2img_dpmpp_2m, ldm", "txt2img_dpmpp_2m_karras, ldm",
        "txt2img_euler_96x64, ldm", "clipskip2_euler, ldm", "img2img_euler_a_s0.6, ldm",
        "img2img_dpmpp_2m_s0.6, ldm", "inpaint_legacy4ch_ddim_s0.75, ldm", "inpaint_9ch_ddim_s0.6, ldm",
        "inpaint_9ch_euler_s1.0, ldm",
        "txt2img_euler_a, diffusers", "img2img_dpmpp_2m_s0.6, diffusers", "clipskip2_euler, diffusers",
        "txt2img_ddim, diffusers", "inpaint_legacy4ch_ddim_s0.75, diffusers",
        "txt2img_lcm_4, ldm", "txt2img_lcm_6_cfg1.5, ldm", "txt2img_tcd_4_eta0.3, ldm", "txt2img_ddim_trailing_4, ldm",
        "txt2img_euler_trailing_8_cfg3.5, ldm", "txt2img_lcm_4, diffusers", "txt2img_tcd_4_eta0.3, diffusers",
    })
    void reproducesTheGolden(String name, String layout) throws Exception {
        GoldenJob job = new GoldenJob(name);
        Path modelPath = job.model(layout.equals("diffusers"));
        if (layout.equals("diffusers") && !modelPath.toFile().isDirectory()) {
            return; // the 9-channel model exists only as an LDM file
        }
        job.check(model(modelPath), job.request().build(), layout);
    }

    @ParameterizedTest(name = "{0} twice gives the same bits")
    @CsvSource({"txt2img_euler_a", "img2img_dpmpp_2m_s0.6"})
    void sameSeedSameBits(String name) throws Exception {
        GoldenJob job = new GoldenJob(name);
        SdModel model = model(job.model(false));
        float[] a = new Pipeline(model).generate(job.request().build(), null).images().get(0).data();
        float[] b = new Pipeline(model).generate(job.request().build(), null).images().get(0).data();
        assertArrayEquals(a, b);
    }
}
