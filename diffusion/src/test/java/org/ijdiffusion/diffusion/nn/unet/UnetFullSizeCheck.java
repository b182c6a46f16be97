package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Paths;
import java.util.List;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Manual check on a full-size SD1.5 UNet (real or random weights, LDM single-file names), off by default:
 * {@code mvn -pl diffusion test -Dtest=UnetFullSizeCheck -Dunet.fullsize=/path/model.safetensors}
 * [{@code -Dunet.fullsize.latent=64}]. Prints load time and seconds per batch-2 forward.
 */
@EnabledIfSystemProperty(named = "unet.fullsize", matches = ".+")
class UnetFullSizeCheck {
    @Test
    void runsAFullSizeUnet() {
        int latent = Integer.getInteger("unet.fullsize.latent", 64);
        try (SafetensorsFile model = SafetensorsFile.open(Paths.get(System.getProperty("unet.fullsize")));
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(model), 8);
            System.out.println("full-size config: " + c);
            assertEquals(320, c.modelChannels());
            assertEquals(List.of(1, 2, 4, 4), c.channelMult());
            assertEquals(768, c.contextDim());
            long t0 = System.nanoTime();
            Unet unet = Unet.load(UnetFixtures.weights(model), c, weights);
            System.out.printf("full-size load: %.1f s, unused %s%n", (System.nanoTime() - t0) / 1e9, unet.unusedWeights());
            Engine.getInstance().setRandomSeed(1);
            NDArray sample = m.randomNormal(new Shape(2, 4, latent, latent));
            NDArray context = m.randomNormal(new Shape(2, 77, 768));
            int arrays = weights.getManagedArrays().size();
            for (int i = 0; i < 2; i++) {
                long t1 = System.nanoTime();
                NDArray out = unet.forward(sample, 981f - 100 * i, context, null, null);
                double s = (System.nanoTime() - t1) / 1e9;
                float maxAbs = out.abs().max().getFloat();
                System.out.printf("full-size forward [2,4,%d,%d]: %.1f s, max |out| %.3f%n", latent, latent, s, maxAbs);
                assertTrue(Float.isFinite(maxAbs));
                assertEquals(new Shape(2, 4, latent, latent), out.getShape());
                out.close();
            }
            assertEquals(arrays, weights.getManagedArrays().size());
        }
    }
}
