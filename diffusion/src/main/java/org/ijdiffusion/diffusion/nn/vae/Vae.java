package org.ijdiffusion.diffusion.nn.vae;

import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Conv2dLayer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Set;
import java.util.function.Function;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.Params;

/**
 * The SD1.x VAE (LDM AutoencoderKL) on DJL: {@link #encode} an image in [-1, 1] to a latent
 * {@link Gaussian}, {@link #decode} a latent to an image in about [-1, 1]. Weights in the internal
 * vocabulary (LDM names without {@code first_stage_model.}). Neither direction applies the latent
 * scaling factor; the caller does. Each call frees its temporaries; results belong to the input's
 * manager.
 */
public final class Vae {
    private final VaeConfig config;
    final Encoder encoder;
    final Conv2dLayer quantConv;
    final Conv2dLayer postQuantConv;
    final Decoder decoder;
    private final Set<String> unused;
    private final Compute compute;
    private final Compute decoderCompute;

    private Vae(Params p, VaeConfig c) {
        config = c;
        compute = p.compute();
        // the decoder (once per picture, at image size) runs channels-last in float32; the encoder keeps
        // the NCHW kernels: its latents feed img2img, where legacy inpainting amplifies a float32
        // rounding change of the init latents (x(1+1e-7)) into ~5e-3 of the picture
        Params dec = p.withCompute(Compute.forConvNet(compute));
        decoderCompute = dec.compute();
        long z2 = 2L * c.zChannels();
        encoder = new Encoder(p.at("encoder"), c);
        quantConv = p.has("quant_conv.weight") ? Conv2dLayer.load(p.at("quant_conv"), z2, z2, 1, 1) : null;
        postQuantConv = dec.has("post_quant_conv.weight")
                ? Conv2dLayer.load(dec.at("post_quant_conv"), c.zChannels(), c.zChannels(), 1, 1) : null;
        decoder = new Decoder(dec.at("decoder"), c);
        unused = p.unused();
    }

    /**
     * Loads the weights into {@code manager} (long-lived: it owns the weights).
     *
     * @throws org.ijdiffusion.diffusion.io.ModelFileException when a tensor is missing or has the wrong shape
     */
    public static Vae load(WeightSource weights, VaeConfig config, NDManager manager) {
        return load(weights, config, manager, Compute.FP32);
    }

    /**
     * As {@link #load(WeightSource, VaeConfig, NDManager)}, computing with {@code compute} (images and
     * latents in and out stay float32).
     */
    public static Vae load(WeightSource weights, VaeConfig config, NDManager manager, Compute compute) {
        return new Vae(new Params(weights, manager).withCompute(compute), config);
    }

    /** How this VAE holds its weights and computes. */
    public Compute compute() {
        return compute;
    }

    /** {@link #load(WeightSource, VaeConfig, NDManager)} with the configuration read from the weights. */
    public static Vae load(WeightSource weights, NDManager manager) {
        return load(weights, VaeConfig.fromWeights(weights), manager);
    }

    public VaeConfig config() {
        return config;
    }

    /** Tensor names of the source that this VAE did not use (empty for a clean VAE). */
    public Set<String> unusedKeys() {
        return unused;
    }

    /** Encodes [B, in, H, W] in [-1, 1] (H, W multiples of {@link VaeConfig#downscale()}) after quant_conv. */
    public Gaussian encode(NDArray image) {
        Shape s = image.getShape();
        int f = config.downscale();
        if (s.dimension() != 4 || s.get(1) != config.inChannels() || s.get(2) % f != 0 || s.get(3) % f != 0) {
            throw new IllegalArgumentException("The VAE encodes [batch, " + config.inChannels()
                    + ", height, width] images with height and width multiples of " + f + ", not " + s);
        }
        NDList out = inSubManager(image, x -> {
            NDArray moments = encoder.forward(x);
            if (quantConv != null) {
                moments = quantConv.forward(moments);
            }
            moments = compute.toFloat32(moments);
            NDList parts = moments.split(2, 1);
            return new NDList(parts.get(0), parts.get(1).clip(-30f, 20f));
        });
        return new Gaussian(out.get(0), out.get(1));
    }

    /** Decodes [B, z, h, w] latents (already divided by the scaling factor) to [B, out, h*f, w*f], raw. */
    public NDArray decode(NDArray z) {
        checkLatent(z);
        return inSubManager(z, x -> {
            NDArray h = postQuantConv != null ? postQuantConv.forward(x) : x;
            return new NDList(decoderCompute.toFloat32(decoder.forward(h)));
        }).singletonOrThrow();
    }

    /**
     * Latents of more pixels than this (64x96: images larger than 512x768) are decoded in tiles by
     * {@link #decodeBounded}. A full decode's activations grow with the image area (the finest level
     * alone is 128 float32 channels per pixel): measured on SD1.5, a whole txt2img peaks at 4.5 GB
     * resident at 512x512 but 7.5 GB at 1024x1024; a tiled decode's activations stay one 512x512 tile's.
     */
    public static final long TILED_ABOVE_LATENT_PIXELS = 64L * 96;
    /** Tile and overlap (latent pixels) of {@link #decodeBounded}: 512-pixel tiles blended over 128 pixels. */
    public static final int BOUNDED_TILE = 64;
    public static final int BOUNDED_OVERLAP = 16;

    /**
     * {@link #decode} for latents up to {@link #TILED_ABOVE_LATENT_PIXELS} pixels (exact), {@link #decodeTiled}
     * with {@link #BOUNDED_TILE} and {@link #BOUNDED_OVERLAP} above (bounded memory, seams blended).
     */
    public NDArray decodeBounded(NDArray z) {
        checkLatent(z);
        long pixels = z.getShape().get(2) * z.getShape().get(3);
        return pixels > TILED_ABOVE_LATENT_PIXELS ? decodeTiled(z, BOUNDED_TILE, BOUNDED_OVERLAP) : decode(z);
    }

    /**
     * Decodes in overlapping latent tiles of at most {@code tileLatent} x {@code tileLatent}, blended
     * linearly over {@code overlapLatent} latent pixels: bounded memory for large images. When the
     * latent fits one tile this is exactly {@link #decode(NDArray)}.
     */
    public NDArray decodeTiled(NDArray z, int tileLatent, int overlapLatent) {
        checkLatent(z);
        return new TiledDecoding(this::decode, tileLatent, overlapLatent).decode(z);
    }

    private void checkLatent(NDArray z) {
        Shape s = z.getShape();
        if (s.dimension() != 4 || s.get(1) != config.zChannels()) {
            throw new IllegalArgumentException("The VAE decodes [batch, " + config.zChannels()
                    + ", height, width] latents, not " + s);
        }
    }

    /** Runs {@code f} with every temporary in a sub-manager of the input's; the results move to the input's manager. */
    private static NDList inSubManager(NDArray input, Function<NDArray, NDList> f) {
        NDManager parent = input.getManager();
        try (NDManager sub = parent.newSubManager()) {
            input.tempAttach(sub);
            NDList out = f.apply(input);
            out.attach(parent);
            return out;
        }
    }
}
