package org.ijdiffusion.diffusion.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.io.SafetensorsWriter;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;

/**
 * Writes zero-filled safetensors files with given tensor names and shapes: an LDM single-file
 * checkpoint of any architecture (from configs, via {@link ExpectedKeys}) or a crafted key set.
 * For tests and for trying the tools on model sizes no fixture has.
 */
public final class SyntheticCheckpoint {
    private SyntheticCheckpoint() {
    }

    /** Writes every tensor as zeros of {@code dtype}. */
    public static void write(Path file, Map<String, long[]> shapes, DType dtype) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = dtype.bytes();
            for (long d : e.getValue()) {
                n *= d;
            }
            long bytes = n;
            w.add(e.getKey(), dtype, e.getValue(), out -> {
                byte[] zeros = new byte[(int) Math.min(bytes, 1 << 16)];
                for (long left = bytes; left > 0; left -= zeros.length) {
                    out.write(zeros, 0, (int) Math.min(left, zeros.length));
                }
            });
        }
        w.write(file);
    }

    /** The names and shapes of an LDM single-file SD1.x checkpoint with these configs. */
    public static Map<String, long[]> ldmShapes(UnetConfig unet, VaeConfig vae, ClipTextConfig text) {
        Map<String, long[]> m = new LinkedHashMap<>();
        ExpectedKeys.unet(unet, false).forEach((k, v) -> m.put(Layouts.LDM_UNET + k, v));
        ExpectedKeys.vae(vae).forEach((k, v) -> m.put(Layouts.LDM_VAE + k, v));
        ExpectedKeys.text(text).forEach((k, v) -> m.put(Layouts.LDM_TEXT + k, v));
        return m;
    }
}
