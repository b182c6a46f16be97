package org.ijdiffusion.diffusion.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.io.TensorConversion;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;

/**
 * Writes a full-size SD1.5 checkpoint of random weights in the LDM single-file layout (the tensor
 * names and shapes of SD1.5 are public facts): for benchmarks and memory tests at real size, where
 * real weights cannot be downloaded. Weights are uniform in +-1/sqrt(fan-in) (PyTorch's default
 * init), norm scales 1, biases 0, embeddings +-0.02, so activations stay finite through the network.
 * Never committed: generated on demand (about 2.1 GB as F16).
 */
public final class RandomSd15 {
    /** SD1.5's UNet: 320 channels, mult 1,2,4,4, 2 res blocks, attention on the first three levels, context 768. */
    public static final UnetConfig UNET = new UnetConfig(4, 4, 320, List.of(1, 2, 4, 4), 2,
            List.of(true, true, true, false), UnetConfig.SD1_HEADS, 0, 768, 1, false);
    /** SD1.5's VAE: 128 channels, mult 1,2,4,4, 2 res blocks, 4 latent channels. */
    public static final VaeConfig VAE = VaeConfig.of(128, new int[] {1, 2, 4, 4}, 2, 4, 3);
    /** CLIP ViT-L/14's text tower: 768 wide, 12 layers, 12 heads, 3072 MLP, 77 positions. */
    public static final ClipTextConfig TEXT = new ClipTextConfig(768, 12, 12, 3072, 77, 49408, false);

    private RandomSd15() {
    }

    /** Writes the SD1.5 checkpoint; the same seed gives the same file. */
    public static void write(Path file, DType dtype, long seed) throws IOException {
        write(file, UNET, VAE, TEXT, dtype, seed);
    }

    /** Writes a random-weight LDM checkpoint of any SD1.x-style sizes (tests of other model sizes). */
    public static void write(Path file, UnetConfig unet, VaeConfig vae, ClipTextConfig text, DType dtype, long seed)
            throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .metadata("note", "random weights in an SD1.x layout, for tests and benchmarks (ij-diffusion)");
        SplittableRandom root = new SplittableRandom(seed);
        for (Map.Entry<String, long[]> e : SyntheticCheckpoint.ldmShapes(unet, vae, text).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            SplittableRandom rng = root.split();
            w.add(name, dtype, shape, out -> fill(out, name, shape, dtype, rng));
        }
        w.write(file);
    }

    private static void fill(OutputStream out, String name, long[] shape, DType dtype, SplittableRandom rng)
            throws IOException {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float constant = Float.NaN;
        float bound;
        boolean norm = name.contains("norm") || name.contains("ln_") || name.contains("layer_norm");
        if (name.endsWith(".bias")) {
            constant = 0f;
            bound = 0f;
        } else if (shape.length == 1 && norm) {
            constant = 1f;
            bound = 0f;
        } else if (name.contains("embedding")) {
            bound = 0.02f;
        } else {
            long fanIn = n / shape[0];
            bound = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
        }
        int chunk = 1 << 20;
        ByteBuffer buf = ByteBuffer.allocate(chunk * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < n; ) {
            int k = (int) Math.min(chunk, n - done);
            buf.clear();
            for (int i = 0; i < k; i++) {
                float v = Float.isNaN(constant) ? (float) ((rng.nextDouble() * 2 - 1) * bound) : constant;
                if (dtype == DType.F16) {
                    buf.putShort(TensorConversion.floatToHalf(v));
                } else {
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, k * dtype.bytes());
            done += k;
        }
    }
}
