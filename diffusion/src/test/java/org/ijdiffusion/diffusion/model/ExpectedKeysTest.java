package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.nn.unet.Unet;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.Vae;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;
import org.ijdiffusion.diffusion.text.ClipTextEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expected-key tables describe the real SD1.5 networks (published parameter and key counts). */
class ExpectedKeysTest {
    static long parameters(Map<String, long[]> shapes) {
        long n = 0;
        for (long[] s : shapes.values()) {
            long p = 1;
            for (long d : s) {
                p *= d;
            }
            n += p;
        }
        return n;
    }

    @Test
    void sd15SizesMatchThePublishedCounts() {
        UnetConfig unet = new UnetConfig(4, 4, 320, List.of(1, 2, 4, 4), 2, List.of(true, true, true, false),
                UnetConfig.SD1_HEADS, 0, 768, 1, false);
        VaeConfig vae = VaeConfig.of(128, new int[] {1, 2, 4, 4}, 2, 4, 3);
        ClipTextConfig text = new ClipTextConfig(768, 12, 12, 3072, 77, 49408, false);
        Map<String, long[]> u = ExpectedKeys.unet(unet, false);
        Map<String, long[]> v = ExpectedKeys.vae(vae);
        Map<String, long[]> t = ExpectedKeys.text(text);
        System.out.println("SD1.5 expected keys: unet " + u.size() + " / " + parameters(u) + " params, vae " + v.size()
                + " / " + parameters(v) + ", text " + t.size() + " / " + parameters(t));
        assertEquals(859_520_964L, parameters(u));
        assertEquals(83_653_863L, parameters(v));
        assertEquals(123_060_480L, parameters(t));
        assertEquals(686, u.size());
        assertEquals(248, v.size());
        assertEquals(196, t.size());
    }

    /**
     * The tables follow the configs the networks are built from, variants included (linear
     * projections, attention inside VAE levels): a checkpoint written from them reads back as the
     * same configs, and the networks load every tensor of it and ask for no other.
     */
    @Test
    void aCheckpointWrittenFromConfigsIsExactlyWhatTheNetworksLoad(@TempDir Path dir) throws IOException {
        UnetConfig unet = new UnetConfig(4, 4, 32, List.of(1, 2), 1, List.of(false, true), UnetConfig.SD1_HEADS, 0,
                24, 2, true);
        VaeConfig vae = new VaeConfig(32, new int[] {1, 2}, 1, 4, 3, 3, new boolean[] {false, true},
                new boolean[] {true, false}, VaeConfig.DEFAULT_GROUPS, VaeConfig.DEFAULT_EPS);
        ClipTextConfig text = new ClipTextConfig(16, 2, 2, 24, 10, 300, true);
        Path file = dir.resolve("variants.safetensors");
        SyntheticCheckpoint.write(file, SyntheticCheckpoint.ldmShapes(unet, vae, text), DType.F16);
        try (Checkpoint c = Checkpoint.open(file, null); NDManager m = NDManager.newBaseManager()) {
            assertEquals(unet, c.unetConfig());
            assertEquals(vae, c.vaeConfig());
            assertEquals(text, c.textConfig());
            assertEquals(List.of(), c.missingKeys());
            assertEquals(List.of(), c.unusedKeys());
            assertEquals(List.of(), c.shapeMismatches());
            assertEquals(Set.of(), Unet.load(c.unet(), unet, m).unusedWeights());
            assertEquals(Set.of(), Vae.load(c.vae(), vae, m).unusedKeys());
            assertEquals(text, ClipTextEncoder.load(c.textEncoder(), text, m).config());
        }
    }
}
