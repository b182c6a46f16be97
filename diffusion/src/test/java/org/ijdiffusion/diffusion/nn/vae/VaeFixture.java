package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDManager;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The tiny checkpoint's VAE and the VAE golden, opened once for each test class that extends this. */
abstract class VaeFixture {
    static SafetensorsFile model;
    static SafetensorsFile golden;
    static NDManager weights;
    static Vae vae;

    @BeforeAll
    static void openFixture() {
        model = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"));
        golden = SafetensorsFile.open(TestData.golden().resolve("components/vae.safetensors"));
        weights = NDManager.newBaseManager();
        vae = Vae.load(new PrefixWeights(model, "first_stage_model."), weights);
    }

    @AfterAll
    static void closeFixture() {
        weights.close();
        golden.close();
        model.close();
    }
}
