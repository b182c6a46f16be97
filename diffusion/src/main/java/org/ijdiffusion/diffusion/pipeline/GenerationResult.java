package org.ijdiffusion.diffusion.pipeline;

import java.util.List;

/**
 * The images of one request (one per batch item) and the exact parameters used: image {@code i} was
 * made with seed {@code seed + i} (A1111's all_seeds) and {@code infotexts.get(i)} says so;
 * {@link #infotext()} is the first image's.
 */
public record GenerationResult(List<FloatImage> images, long seed, String infotext, List<String> infotexts) {
    public GenerationResult {
        images = List.copyOf(images);
        infotexts = List.copyOf(infotexts);
        if (infotexts.isEmpty() || !infotexts.get(0).equals(infotext)) {
            throw new IllegalArgumentException("the first infotext must be the result's infotext");
        }
    }

    /** One image's result (batch of one, or images whose parameters differ only in the seed: {@link Infotext#withSeed}). */
    public GenerationResult(List<FloatImage> images, long seed, String infotext) {
        this(images, seed, infotext, Infotext.perImage(infotext, seed, images.size()));
    }

    /** The seed of image {@code i}. */
    public long seed(int i) {
        return seed + i;
    }

    /** The infotext of image {@code i}. */
    public String infotext(int i) {
        return infotexts.get(i);
    }
}
