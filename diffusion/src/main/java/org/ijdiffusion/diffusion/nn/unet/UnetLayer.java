package org.ijdiffusion.diffusion.nn.unet;

import ai.djl.ndarray.NDArray;

/**
 * One child of a UNet block (LDM {@code TimestepEmbedSequential}): a ResBlock, a SpatialTransformer,
 * a Downsample or an Upsample. Each takes what it needs of the arguments.
 */
interface UnetLayer {
    /**
     * @param x          activations [B, C, H, W]
     * @param emb        timestep embedding [B, E]
     * @param context    cross-attention context [B, L, contextDim]
     * @param outputSize for an Upsample: the spatial size {H', W'} to produce (the next skip's size)
     */
    NDArray forward(NDArray x, NDArray emb, NDArray context, long[] outputSize);
}
