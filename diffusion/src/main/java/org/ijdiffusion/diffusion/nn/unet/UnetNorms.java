package org.ijdiffusion.diffusion.nn.unet;

import org.ijdiffusion.diffusion.nn.NormLayer;
import org.ijdiffusion.diffusion.nn.Params;

/** The UNet's normalisations with LDM's constants. */
final class UnetNorms {
    /** GroupNorm32 of the LDM ResBlocks and the UNet output. */
    static final float GROUP_NORM_EPS = 1e-5f;
    /** The SpatialTransformer's input GroupNorm (LDM {@code Normalize}: eps 1e-6). */
    static final float TRANSFORMER_GROUP_NORM_EPS = 1e-6f;
    static final float LAYER_NORM_EPS = 1e-5f;
    static final int GROUPS = 32;

    private UnetNorms() {
    }

    static NormLayer group(Params p, long channels) {
        return NormLayer.group(p, channels, GROUPS, GROUP_NORM_EPS);
    }

    static NormLayer transformerGroup(Params p, long channels) {
        return NormLayer.group(p, channels, GROUPS, TRANSFORMER_GROUP_NORM_EPS);
    }

    static NormLayer layer(Params p, long channels) {
        return NormLayer.layer(p, channels, LAYER_NORM_EPS);
    }
}
