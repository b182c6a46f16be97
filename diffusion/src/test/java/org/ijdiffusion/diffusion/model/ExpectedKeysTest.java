package org.ijdiffusion.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.VaeConfig;
import org.ijdiffusion.diffusion.text.ClipTextConfig;
import org.junit.jupiter.api.Test;

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
}
