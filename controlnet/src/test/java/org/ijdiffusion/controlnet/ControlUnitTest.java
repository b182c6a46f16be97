package org.ijdiffusion.controlnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GoldenJob;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.PipelineGoldenTest;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.testutil.Diffs;
import org.ijdiffusion.diffusion.testutil.TestData;
import org.junit.jupiter.api.Test;

/** Control modes, guidance window, several units and the size check: their effect, measured. */
class ControlUnitTest {
    private static FloatImage hint() throws Exception {
        return GoldenJob.rgb(TestData.golden().resolve("inputs/canny.png"));
    }

    private static NDList residuals(ControlMode mode, double weight, NDManager m, int uncond) throws Exception {
        ControlNet net = ControlNetPipelineGoldenTest.net("tiny-controlnet.safetensors");
        try (SafetensorsFile g = SafetensorsFile.open(TestData.golden().resolve("components/controlnet.safetensors"))) {
            NDArray sample = g.toFloat32("sample", m);
            NDArray ctx = g.toFloat32("encoder_hidden_states", m);
            ControlUnit u = new ControlUnit(net, hint(), weight, 0, 1, mode, ResizeMode.CROP_AND_RESIZE, "t", "none");
            return u.residuals(sample, 981f, ctx, uncond, 0, 10);
        }
    }

    @Test
    void promptModeScalesResidualIBy0825PowTwelveMinusI() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList bal = residuals(ControlMode.BALANCED, 0.9, m, 1);
            NDList prompt = residuals(ControlMode.PROMPT, 0.9, m, 1);
            NDList control = residuals(ControlMode.CONTROLNET, 0.9, m, 1);
            assertEquals(13, bal.size());
            for (int i = 0; i < 13; i++) {
                NDArray expected = bal.get(i).mul((float) Math.pow(0.825, 12 - i));
                assertTrue(expected.allClose(prompt.get(i), 1e-5, 1e-7, false), "residual " + i);
                // "ControlNet is more important": soft scales on the conditional item, nothing on the unconditional one
                assertTrue(control.get(i).get(1).allClose(prompt.get(i).get(1), 1e-5, 1e-7, false), "cond " + i);
                assertEquals(0f, control.get(i).get(0).abs().max().getFloat(), "uncond " + i);
            }
            assertTrue(bal.get(5).abs().max().getFloat() > 0, "residuals are not all zero");
        }
    }

    @Test
    void guidanceWindowFollowsTheReferenceRule() throws Exception {
        ControlUnit u = new ControlUnit(ControlNetPipelineGoldenTest.net("tiny-controlnet.safetensors"), hint(), 1, 0.1,
                0.6, ControlMode.BALANCED, ResizeMode.CROP_AND_RESIZE, "t", "none");
        StringBuilder on = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            on.append(u.activeAt(i, 10) ? '1' : '0');
        }
        // i/10 < 0.1 -> step 0 off; (i+1)/10 > 0.6 -> steps 6.. off
        assertEquals("0111110000", on.toString());
    }

    @Test
    void twoUnitsOfHalfWeightEqualOneUnitOfFullWeight() throws Exception {
        GoldenJob job = new GoldenJob("controlnet_txt2img_euler");
        SdModel model = PipelineGoldenTest.model(job.model(false));
        ControlNet net = ControlNetPipelineGoldenTest.net("tiny-controlnet.safetensors");
        FloatImage h = hint();
        ControlUnit one = new ControlUnit(net, h, 1.0, 0, 1, ControlMode.BALANCED, ResizeMode.CROP_AND_RESIZE, "t", "none");
        ControlUnit half = new ControlUnit(net, h, 0.5, 0, 1, ControlMode.BALANCED, ResizeMode.CROP_AND_RESIZE, "t", "none");
        float[] a = new Pipeline(model).generate(job.request().control(one).build(), null).images().get(0).data();
        float[] b = new Pipeline(model).generate(job.request().control(half).control(half).build(), null).images().get(0).data();
        float[] none = new Pipeline(model).generate(job.request().build(), null).images().get(0).data();
        double d = Diffs.maxAbsDiff(a, b);
        System.out.printf("two units x0.5 vs one x1.0: max|diff| %.3e (vs no control: %.3e)%n", d, Diffs.maxAbsDiff(a, none));
        assertTrue(d < 1e-4, "max |diff| " + d);
        assertTrue(Diffs.maxAbsDiff(a, none) > 1e-3, "the control has an effect");
    }

    @Test
    void aControlNetOfAnotherContextSizeIsRefused() {
        ControlNet net = ControlNetPipelineGoldenTest.net("tiny-controlnet.safetensors");
        UnetConfig c = net.config();
        UnetConfig other = new UnetConfig(c.inChannels(), 4, c.modelChannels(), c.channelMult(), c.numResBlocks(),
                c.attention(), c.numHeads(), c.headDim(), c.contextDim() * 2, c.transformerDepth(), c.linearProj());
        ModelFileException e = assertThrows(ModelFileException.class, () -> net.checkFits(other));
        assertTrue(e.getMessage().contains("text context"), e.getMessage());
        net.checkFits(new UnetConfig(c.inChannels(), 4, c.modelChannels(), c.channelMult(), c.numResBlocks(),
                c.attention(), c.numHeads(), c.headDim(), c.contextDim(), c.transformerDepth(), c.linearProj()));
    }

    @Test
    void badWeightsAndWindowsAreRejected() throws Exception {
        ControlNet net = ControlNetPipelineGoldenTest.net("tiny-controlnet.safetensors");
        assertThrows(IllegalArgumentException.class,
                () -> new ControlUnit(net, hint(), 2.5, 0, 1, ControlMode.BALANCED, ResizeMode.JUST_RESIZE, "t", "n"));
        assertThrows(IllegalArgumentException.class,
                () -> new ControlUnit(net, hint(), 1, 0.7, 0.2, ControlMode.BALANCED, ResizeMode.JUST_RESIZE, "t", "n"));
        assertFalse(ControlMode.fromName("My prompt is more important").condOnly());
        assertThrows(IllegalArgumentException.class, () -> ControlMode.fromName("loud"));
        assertEquals(new Shape(1), new Shape(1));
    }
}
