package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F16 checkpoints: the UNet keeps F16 weights in F16 and upcasts each layer's weights at use. Upcasting
 * is exact, so the output must equal that of the same values stored as F32 (upcast at load).
 */
class UnetHalfWeightsTest {
    @TempDir
    Path dir;

    @Test
    void f16WeightsUpcastAtUseGiveTheF32Result() throws IOException {
        Path half = dir.resolve("half.safetensors");
        Path full = dir.resolve("full.safetensors");
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors")) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String name : model.names()) {
                if (name.startsWith(UnetFixtures.PREFIX)) {
                    w.addFloats(name, DType.F16, model.info(name).shape(), model.floats(name));
                }
            }
            w.write(half);
        }
        try (SafetensorsFile h = SafetensorsFile.open(half)) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String name : h.names()) {
                w.addFloats(name, DType.F32, h.info(name).shape(), h.floats(name));
            }
            w.write(full);
        }
        try (SafetensorsFile h = SafetensorsFile.open(half);
                SafetensorsFile f = SafetensorsFile.open(full);
                NDManager weights = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            PrefixWeights hw = new PrefixWeights(h, UnetFixtures.PREFIX);
            String convIn = "input_blocks.0.0.weight";
            assertEquals(DataType.FLOAT16, hw.loadCompact(convIn, m).getDataType(), "F16 kept as F16");
            UnetConfig c = UnetConfig.fromWeights(hw, 8);
            Unet fromHalf = Unet.load(hw, c, weights);
            Unet fromFull = Unet.load(new PrefixWeights(f, UnetFixtures.PREFIX), c, weights);
            Engine.getInstance().setRandomSeed(5);
            NDArray sample = m.randomNormal(new Shape(2, c.inChannels(), 8, 8));
            NDArray context = m.randomNormal(new Shape(2, 77, c.contextDim()));
            NDArray a = fromHalf.forward(sample, 500f, context, null, null);
            NDArray b = fromFull.forward(sample, 500f, context, null, null);
            assertEquals(DataType.FLOAT32, a.getDataType());
            UnetFixtures.assertClose("UNet F16 weights upcast at use vs F32 weights", b, a, 1e-6);
        }
    }
}
