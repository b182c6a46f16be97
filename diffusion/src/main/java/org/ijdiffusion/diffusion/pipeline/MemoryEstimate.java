package org.ijdiffusion.diffusion.pipeline;

import java.util.List;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.Vae;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.util.AvailableMemory;

/**
 * Peak memory of one generation, from the model's configs and the request, before anything is
 * allocated: so that a size the machine cannot hold is refused with a figure instead of growing until
 * the kernel kills the process (or hanging in swap).
 *
 * <p>Phases run one after another, so the peak is the weights plus the runtime plus the largest phase:
 * <ul>
 * <li>UNet step (batch doubled with guidance): the encoder's skip tensors held for the decoder
 *     (per ControlNet unit, its residuals as well) plus the widest transformer block's live set at
 *     its resolution: GEGLU's 8C projection, its two 4C halves and product, the residual and norm
 *     ({@link #TRANSFORMER_LIVE} C per position); plus the float32 scratch for the largest weight.
 * <li>VAE decode, one image at a time, in tiles above {@link Vae#TILED_ABOVE_LATENT_PIXELS}: at full
 *     resolution the upsampled input, its convolution's output and the composed group norm's
 *     temporaries of the widest full-resolution width ({@link #DECODE_LIVE} x C per pixel).
 * <li>VAE encode (img2img, inpainting; never tiled): {@link #ENCODE_LIVE} x level-0 width per pixel.
 * </ul>
 * Host arrays (images as float planes, the tile blend, the PNG raster) are on the Java heap: counted
 * in the total, and checked against the heap limit as well. Checked against the measured peaks of docs/PERFORMANCE.md
 * (SD1.5 F16: 4.29 GB at 512x512, 3.36 GB at 256x256, 4.0 GB for a 2048x2048 tiled decode) by
 * {@code MemoryEstimateTest}.
 *
 * @param weights   weights as held once loaded (bytes)
 * @param runtime   the JVM, libtorch and its kernels' workspaces ({@link #RUNTIME_BYTES})
 * @param unet      one UNet step's activations
 * @param decode    the VAE decode's activations (one tile)
 * @param encode    the VAE encode's activations (0 for txt2img)
 * @param host      Java heap for the run's image arrays
 */
public record MemoryEstimate(double weights, double runtime, double unet, double decode, double encode, double host) {
    /** Resident memory of the JVM plus libtorch with nothing loaded, measured: ~0.6 GB (bench, 2 cores). */
    public static final double RUNTIME_BYTES = 0.6e9;
    static final int TRANSFORMER_LIVE = 18;
    static final int RESBLOCK_LIVE = 8;
    static final int DECODE_LIVE = 4;
    static final int ENCODE_LIVE = 5;
    private static final double F32 = 4;

    /** Weights, runtime, the largest phase and the host arrays (bytes). */
    public double total() {
        return weights + runtime + Math.max(unet, Math.max(decode, encode)) + host;
    }

    /** The same run without UNet steps (a decode-only bench). */
    public MemoryEstimate withoutUnet() {
        return new MemoryEstimate(weights, runtime, 0, decode, encode, host);
    }

    /**
     * The estimate of a run of {@code batch} images of {@code width x height} pixels.
     *
     * @param weightBytes weights as held once loaded (UNet as stored, the rest float32; ControlNets too)
     * @param encodes     the run VAE-encodes an init image (img2img, inpainting)
     * @param controls    ControlNet units
     */
    public static MemoryEstimate of(UnetConfig u, VaeConfig v, double weightBytes, int width, int height, int batch,
            boolean guided, boolean encodes, int controls) {
        double down = v.downscale();
        double lw = Math.ceil(width / down);
        double lh = Math.ceil(height / down);
        double b = batch * (guided ? 2.0 : 1.0);
        // UNet: skips at their resolutions, the widest block at its resolution
        List<Integer> skips = u.skipChannels();
        double skipFloats = 0;
        double widest = 0;
        int k = 0;
        for (int level = 0; level < u.levels(); level++) {
            double positions = Math.ceil(lw / (1 << level)) * Math.ceil(lh / (1 << level));
            int per = u.numResBlocks() + 1; // level 0: conv_in and its blocks; the others: the downsample and blocks
            for (int i = 0; i < per && k < skips.size(); i++, k++) {
                skipFloats += skips.get(k) * positions;
            }
            double live = u.attention().get(level) ? TRANSFORMER_LIVE : RESBLOCK_LIVE;
            widest = Math.max(widest, live * u.channels(level) * positions);
        }
        double maxC = u.midChannels();
        for (int l = 0; l < u.levels(); l++) {
            maxC = Math.max(maxC, u.channels(l));
        }
        double scratch = 8 * maxC * maxC * F32; // the GEGLU projection, the largest weight, upcast
        double unet = b * F32 * (skipFloats * (1 + controls) + widest) + scratch;
        // VAE decode: one tile (or the whole latent when small enough for the exact decode)
        double tileLatents = lw * lh > Vae.TILED_ABOVE_LATENT_PIXELS
                ? Math.min(lw, Vae.BOUNDED_TILE) * Math.min(lh, Vae.BOUNDED_TILE) : lw * lh;
        double fullResC = v.levels() > 1 ? Math.max(v.channels(0), v.channels(1)) : v.channels(0);
        double decode = tileLatents * down * down * DECODE_LIVE * fullResC * F32;
        double pixels = (double) width * height;
        double encode = encodes ? pixels * ENCODE_LIVE * v.channels(0) * F32 : 0;
        // Java heap: per image its float planes twice (engine result, FloatImage) and the PNG raster, the tile
        // blend (RGB + weight), the init and mask planes and their resampled copies, each control hint
        double host = pixels * F32 * (batch * 7.0 + 4 + (encodes ? 8 : 0) + 6.0 * controls);
        return new MemoryEstimate(weightBytes, RUNTIME_BYTES, unet, decode, encode, host);
    }

    /**
     * Refuses (IllegalArgumentException, exit 2 in the CLI) a run this machine cannot hold: a picture
     * larger than one Java array, more than the memory available, or more Java heap than allowed.
     */
    public void require(int width, int height, int batch) {
        String what = width + "x" + height + (batch > 1 ? ", batch " + batch : "");
        if ((double) width * height * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " is too large: one picture of that size (3 x " + width + " x "
                    + height + " values) exceeds what a Java array holds; use a smaller size.");
        }
        AvailableMemory.require(clamp(total()), what, String.format(java.util.Locale.ROOT,
                "weights %s, UNet step %s, VAE %s GB", AvailableMemory.gb(clamp(weights)), AvailableMemory.gb(clamp(unet)),
                AvailableMemory.gb(clamp(Math.max(decode, encode)))), "try a smaller size" + (batch > 1 ? " or batch" : ""));
        AvailableMemory.requireHeap(clamp(host), what);
    }

    private static long clamp(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }
}
