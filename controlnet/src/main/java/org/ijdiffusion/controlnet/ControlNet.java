package org.ijdiffusion.controlnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Params;
import org.ijdiffusion.diffusion.nn.Conv2dLayer;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.unet.UnetEncoder;

/**
 * A ControlNet: the UNet's own encoder code ({@link UnetEncoder}, built from the ControlNet's copy of
 * those weights), plus the hint encoder added after {@code input_blocks.0} and one zero convolution
 * per skip connection and for the middle block. Its output is what the UNet's entry takes: one
 * residual per skip connection, then the mid residual.
 */
public final class ControlNet {
    private final UnetConfig config;
    private final UnetEncoder encoder;
    private final HintEncoder hint;
    private final List<Conv2dLayer> zeroConvs;
    private final Conv2dLayer midOut;
    private final String origin;

    private ControlNet(UnetConfig config, UnetEncoder encoder, HintEncoder hint, List<Conv2dLayer> zeroConvs,
            Conv2dLayer midOut, String origin) {
        this.config = config;
        this.encoder = encoder;
        this.hint = hint;
        this.zeroConvs = zeroConvs;
        this.midOut = midOut;
        this.origin = origin;
    }

    /** Loads the ControlNet of {@code ckpt} with the architecture its weights and config give. */
    public static ControlNet load(ControlNetCheckpoint ckpt, NDManager manager) {
        return load(ckpt, manager, Compute.FP32);
    }

    /**
     * As {@link #load(ControlNetCheckpoint, NDManager)}, computing with {@code compute} (the UNet's): the
     * residuals it returns are in that compute's format, which the UNet's layers accept.
     */
    public static ControlNet load(ControlNetCheckpoint ckpt, NDManager manager, Compute compute) {
        return load(ckpt.weights(), ckpt.config(), manager, compute);
    }

    /**
     * Loads ControlNet weights in the internal vocabulary (LDM names without {@code control_model.})
     * with architecture {@code c} (from {@link ControlNetCheckpoint#config()}: the head count is not in
     * the weights).
     */
    public static ControlNet load(WeightSource weights, UnetConfig c, NDManager manager) {
        return load(weights, c, manager, Compute.FP32);
    }

    /** As {@link #load(WeightSource, UnetConfig, NDManager)}, computing with {@code compute}. */
    public static ControlNet load(WeightSource weights, UnetConfig c, NDManager manager, Compute compute) {
        Params p = new Params(weights, manager).withCompute(compute);
        UnetEncoder encoder = UnetEncoder.load(p, c);
        HintEncoder hint = HintEncoder.load(p.at("input_hint_block"));
        List<Conv2dLayer> zero = new ArrayList<>();
        List<Integer> skips = c.skipChannels();
        for (int i = 0; i < skips.size(); i++) {
            zero.add(Conv2dLayer.load(p.at("zero_convs." + i + ".0"), skips.get(i), skips.get(i), 1, 1));
        }
        Conv2dLayer mid = Conv2dLayer.load(p.at("middle_block_out.0"), c.midChannels(), c.midChannels(), 1, 1);
        Set<String> unused = p.unused();
        if (!unused.isEmpty()) {
            throw new ModelFileException("ControlNet " + weights.origin() + " has " + unused.size()
                    + " tensors this loader does not know (e.g. " + unused.iterator().next()
                    + "); it is not an SD1.x ControlNet of the supported kind.");
        }
        return new ControlNet(c, encoder, hint, zero, mid, weights.origin());
    }

    public UnetConfig config() {
        return config;
    }

    /** Refuses, with a clear message, a ControlNet whose sizes do not fit the UNet it would control. */
    public void checkFits(UnetConfig unet) {
        List<String> problems = new ArrayList<>();
        if (unet.contextDim() != config.contextDim()) {
            problems.add("text context " + config.contextDim() + " vs the checkpoint's " + unet.contextDim());
        }
        if (!unet.skipChannels().equals(config.skipChannels())) {
            problems.add("skip channels " + config.skipChannels() + " vs the checkpoint's " + unet.skipChannels());
        }
        if (unet.midChannels() != config.midChannels()) {
            problems.add("middle channels " + config.midChannels() + " vs " + unet.midChannels());
        }
        if (!problems.isEmpty()) {
            throw new ModelFileException("ControlNet " + origin + " does not fit this checkpoint ("
                    + String.join("; ", problems) + "). Use a ControlNet made for this model family "
                    + "(SD1.5 ControlNets for SD1.x checkpoints).");
        }
    }

    /**
     * The residuals for latents {@code sample} [B,4,h,w] at {@code timestep}, text {@code context}
     * [B,L,D] and {@code hintImage} [B,3,8h,8w] in [0,1]: one per skip connection, then the mid
     * residual, attached to the manager of {@code sample}.
     */
    public NDList forward(NDArray sample, float timestep, NDArray context, NDArray hintImage) {
        NDManager out = sample.getManager();
        long b = sample.getShape().get(0);
        try (NDManager tmp = out.newSubManager()) {
            NDArray x = sample.duplicate();
            x.attach(tmp);
            NDArray t = tmp.full(new Shape(b), timestep, DataType.FLOAT32);
            NDArray h = hintImage.duplicate();
            h.attach(tmp);
            NDArray guided = hint.forward(h);
            UnetEncoder.Output e = encoder.forward(x, t, context, guided);
            NDList res = new NDList();
            for (int i = 0; i < zeroConvs.size(); i++) {
                res.add(zeroConvs.get(i).forward(e.skips().get(i)));
            }
            res.add(midOut.forward(e.mid()));
            for (NDArray r : res) {
                r.attach(out);
            }
            return res;
        }
    }
}
