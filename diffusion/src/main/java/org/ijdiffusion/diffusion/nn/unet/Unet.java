package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.ForwardScope;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The SD1.x denoising UNet (LDM {@code openaimodel.UNetModel} with spatial transformers): predicts the
 * noise of latents at a timestep, conditioned on a text context, optionally with ControlNet residuals.
 */
public final class Unet {
    private final UnetConfig config;
    private final UnetEncoder encoder;
    private final UnetDecoder decoder;
    private final Set<String> unusedWeights;
    private final Compute compute;

    private Unet(UnetConfig config, UnetEncoder encoder, UnetDecoder decoder, Set<String> unusedWeights,
            Compute compute) {
        this.compute = compute;
        this.config = config;
        this.encoder = encoder;
        this.decoder = decoder;
        this.unusedWeights = Set.copyOf(unusedWeights);
    }

    /**
     * Loads every weight of the UNet in one pass; the arrays live in {@code manager} (long-lived, owned
     * by the caller). Missing tensors and shape mismatches are {@link org.ijdiffusion.diffusion.io.ModelFileException}s
     * that name the tensor; tensors no module asked for are listed by {@link #unusedWeights()}.
     */
    public static Unet load(WeightSource weights, UnetConfig config, NDManager manager) {
        return load(weights, config, manager, Compute.FP32);
    }

    /**
     * As {@link #load(WeightSource, UnetConfig, NDManager)}, computing with {@code compute} (the
     * prediction it returns is float32 in every precision).
     */
    public static Unet load(WeightSource weights, UnetConfig config, NDManager manager, Compute compute) {
        if (config.outChannels() <= 0) {
            throw new IllegalArgumentException("This UNet config has no output layer (encoder-only weights such as "
                    + "a ControlNet): load it with UnetEncoder.load instead.");
        }
        Params p = Params.compact(weights, manager).withCompute(compute);
        UnetEncoder encoder = UnetEncoder.load(p, config);
        UnetDecoder decoder = UnetDecoder.load(p, config);
        return new Unet(config, encoder, decoder, p.unused(), compute);
    }

    public UnetConfig config() {
        return config;
    }

    /** How this UNet holds its weights and computes. */
    public Compute compute() {
        return compute;
    }

    /** Names in the weights that no layer uses (empty for a clean SD1.x UNet). */
    public Set<String> unusedWeights() {
        return unusedWeights;
    }

    /** {@link #forward(NDArray, NDArray, NDArray, List, NDArray)} with one timestep for the whole batch. */
    public NDArray forward(NDArray sample, float timestep, NDArray context, List<NDArray> downResiduals,
            NDArray midResidual) {
        UnetInputs.check(config, sample, context, downResiduals, midResidual);
        try (ForwardScope s = ForwardScope.open(sample.getManager())) {
            NDArray t = s.manager().full(new Shape(sample.getShape().get(0)), timestep, DataType.FLOAT32);
            return s.keep(run(s, sample, t, context, downResiduals, midResidual));
        }
    }

    /**
     * The predicted noise [B, outChannels, H, W], attached to the manager of {@code sample}; every
     * temporary is freed before returning.
     *
     * @param sample        latents [B, inChannels, H, W] (any H, W)
     * @param timesteps     [B] float timesteps
     * @param context       text embeddings [B, L, contextDim], any L
     * @param downResiduals null, or one tensor per skip connection (12 for SD1.x), added to them in order
     * @param midResidual   null, or added to the middle block's output
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray context, List<NDArray> downResiduals,
            NDArray midResidual) {
        UnetInputs.check(config, sample, context, downResiduals, midResidual);
        UnetInputs.checkTimesteps(sample, timesteps);
        try (ForwardScope s = ForwardScope.open(sample.getManager())) {
            NDArray t = s.input(timesteps).toType(DataType.FLOAT32, false).reshape(-1);
            return s.keep(run(s, sample, t, context, downResiduals, midResidual));
        }
    }

    private NDArray run(ForwardScope s, NDArray sample, NDArray timesteps, NDArray context,
            List<NDArray> downResiduals, NDArray midResidual) {
        NDArray ctx = s.input(context);
        UnetEncoder.Output enc = encoder.forward(s.input(sample), timesteps, ctx, null);
        List<NDArray> skips = enc.skips();
        if (downResiduals != null) {
            skips = new ArrayList<>(skips.size());
            for (int i = 0; i < enc.skips().size(); i++) {
                skips.add(enc.skips().get(i).add(downResiduals.get(i)));
            }
        }
        NDArray mid = midResidual == null ? enc.mid() : enc.mid().add(midResidual);
        return compute.toFloat32(decoder.forward(mid, skips, enc.emb(), ctx));
    }
}
