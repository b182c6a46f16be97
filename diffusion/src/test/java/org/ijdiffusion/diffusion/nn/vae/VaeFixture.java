package org.ijdiffusion.diffusion.nn.vae;

import ai.djl.ndarray.NDManager;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.testutil.TestData;

/** The tiny checkpoint's VAE and the VAE golden, opened once for a test class. */
final class VaeFixture implements AutoCloseable {
    final SafetensorsFile model = SafetensorsFile.open(TestData.model("tiny-sd15.safetensors"));
    final SafetensorsFile golden = SafetensorsFile.open(TestData.golden().resolve("components/vae.safetensors"));
    final NDManager weights = NDManager.newBaseManager();
    final Vae vae = Vae.load(new PrefixWeights(model, "first_stage_model."), weights);

    @Override
    public void close() {
        weights.close();
        golden.close();
        model.close();
    }
}
