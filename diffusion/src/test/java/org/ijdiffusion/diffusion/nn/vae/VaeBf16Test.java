package org.ijdiffusion.diffusion.nn.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.nn.Agreement;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.CpuFeatures;
import org.ijdiffusion.diffusion.nn.Precision;
import org.junit.jupiter.api.Test;

/** The tiny VAE in bf16 against itself in fp32: decode (exact and tiled) and encode. */
class VaeBf16Test extends VaeFixture {
    private static Agreement compare(String what, NDArray fp32, NDArray bf16) {
        Agreement a = Agreement.of(fp32.toFloatArray(), bf16.toFloatArray());
        System.out.println("bf16 vs fp32, tiny VAE " + what + ": " + a);
        return a;
    }

    @Test
    void decodeTiledDecodeAndEncodeAgreeWithFloat32() {
        assumeTrue(CpuFeatures.current().hasNativeBf16(),
                "skipped: this CPU has no native bfloat16 (" + CpuFeatures.current().bf16Summary() + ")");
        try (NDManager bfWeights = NDManager.newBaseManager(); NDManager m = NDManager.newBaseManager()) {
            Vae bf16 = Vae.load(new PrefixWeights(model, "first_stage_model."), vae.config(), bfWeights,
                    Compute.of(Precision.BF16));
            for (String z : new String[] {"z", "z_b"}) {
                NDArray latent = golden.toFloat32(z, m);
                Agreement a = compare("decode " + z, vae.decode(latent), bf16.decode(latent));
                assertTrue(a.cosine() >= 0.999, a.toString());
            }
            NDArray latent = golden.toFloat32("z_b", m);
            Agreement tiled = compare("tiled decode (tile 6, overlap 2) of z_b", vae.decodeTiled(latent, 6, 2),
                    bf16.decodeTiled(latent, 6, 2));
            assertTrue(tiled.cosine() >= 0.999, tiled.toString());
            NDArray image = golden.toFloat32("image", m);
            try (Gaussian f = vae.encode(image); Gaussian b = bf16.encode(image)) {
                Agreement a = compare("encode mean", f.mean(), b.mean());
                assertTrue(a.cosine() >= 0.999, a.toString());
            }
        }
    }
}
