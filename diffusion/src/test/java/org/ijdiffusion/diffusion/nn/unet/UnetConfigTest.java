package org.ijdiffusion.diffusion.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config comes from tensor names and shapes; incomplete files fail with a message naming the tensor. */
class UnetConfigTest {
    @TempDir
    Path dir;

    @Test
    void derivesTheTinyModelFromItsTensors() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors")) {
            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(model), 8);
            assertEquals(4, c.inChannels());
            assertEquals(4, c.outChannels());
            assertEquals(32, c.modelChannels());
            assertEquals(List.of(1, 2, 2, 2), c.channelMult());
            assertEquals(List.of(32, 64, 64, 64), List.of(c.channels(0), c.channels(1), c.channels(2), c.channels(3)));
            assertEquals(2, c.numResBlocks());
            assertEquals(List.of(true, true, true, false), c.attention());
            assertEquals(32, c.contextDim());
            assertEquals(1, c.transformerDepth());
            assertFalse(c.linearProj());
            assertEquals(8, c.numHeads());
            assertEquals(4, c.headDimFor(32));
            assertEquals(128, c.timeEmbedDim());
            assertEquals(List.of(32, 32, 32, 32, 64, 64, 64, 64, 64, 64, 64, 64), c.skipChannels());
            assertEquals(64, c.midChannels());
        }
    }

    @Test
    void derivesNineInputChannelsForInpaintingModels() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15-inpaint.safetensors")) {
            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(model), 8);
            assertEquals(9, c.inChannels());
            assertEquals(4, c.outChannels());
        }
    }

    @Test
    void derivesTheEncoderOfAControlNet() {
        try (SafetensorsFile model = UnetFixtures.model("tiny-controlnet.safetensors")) {
            UnetConfig c = UnetConfig.fromWeights(new org.ijdiffusion.diffusion.model.PrefixWeights(model,
                    "control_model."), 8);
            assertEquals(0, c.outChannels());
            assertEquals(List.of(1, 2, 2, 2), c.channelMult());
            assertEquals(12, c.skipChannels().size());
            try (NDManager m = NDManager.newBaseManager()) {
                assertThrows(IllegalArgumentException.class,
                        () -> Unet.load(new org.ijdiffusion.diffusion.model.PrefixWeights(model, "control_model."), c, m));
            }
        }
    }

    @Test
    void aMissingTensorIsNamedInTheError() throws Exception {
        String missing = "output_blocks.5.2.conv.weight";
        Path file = copyWithout(UnetFixtures.PREFIX + missing);
        try (SafetensorsFile model = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            UnetConfig c = UnetConfig.fromWeights(UnetFixtures.weights(model), 8);
            ModelFileException e = assertThrows(ModelFileException.class,
                    () -> Unet.load(UnetFixtures.weights(model), c, m));
            System.out.println("missing tensor message: " + e.getMessage());
            assertTrue(e.getMessage().contains(missing), e.getMessage());
        }
    }

    @Test
    void aFileWithoutTheInputConvIsNotTakenForAUnet() throws Exception {
        String missing = "input_blocks.0.0.weight";
        Path file = copyWithout(UnetFixtures.PREFIX + missing);
        try (SafetensorsFile model = SafetensorsFile.open(file)) {
            ModelFileException e = assertThrows(ModelFileException.class,
                    () -> UnetConfig.fromWeights(UnetFixtures.weights(model), 8));
            assertTrue(e.getMessage().contains(missing), e.getMessage());
        }
    }

    /** The tiny checkpoint's UNet tensors, all but one, written to a new file. */
    private Path copyWithout(String skip) throws Exception {
        Path out = dir.resolve("incomplete.safetensors");
        try (SafetensorsFile model = UnetFixtures.model("tiny-sd15.safetensors")) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String name : model.names()) {
                if (name.startsWith(UnetFixtures.PREFIX) && !name.equals(skip)) {
                    w.addFloats(name, model.info(name).dtype(), model.info(name).shape(), model.floats(name));
                }
            }
            w.write(out);
        }
        return out;
    }
}
