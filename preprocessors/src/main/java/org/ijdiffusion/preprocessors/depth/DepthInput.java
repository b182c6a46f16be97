package org.ijdiffusion.preprocessors.depth;

/** Network input size and normalisation for each {@link DepthModelKind}. */
final class DepthInput {
    static final int DA_SIZE = 518;
    static final int DA_MULTIPLE = 14;
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private DepthInput() {
    }

    /** {width, height} of the network input for an image of {@code w x h} at the detect size. */
    static int[] size(DepthModelKind kind, int w, int h) {
        if (kind == DepthModelKind.MIDAS) {
            return new int[] {w, h};
        }
        double scale = DA_SIZE / (double) Math.min(w, h);
        return new int[] {multipleAtLeast(w * scale), multipleAtLeast(h * scale)};
    }

    private static int multipleAtLeast(double x) {
        int y = (int) Math.rint(x / DA_MULTIPLE) * DA_MULTIPLE;
        if (y < DA_SIZE) {
            y = (int) Math.ceil(x / DA_MULTIPLE) * DA_MULTIPLE;
        }
        return y;
    }

    /** Packed RGB bytes (h*w*3) to a normalised NCHW float blob [1,3,h,w]. */
    static float[] normalise(DepthModelKind kind, byte[] rgb, int w, int h) {
        int plane = w * h;
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = rgb[3 * i + c] & 0xFF;
                out[c * plane + i] = kind == DepthModelKind.MIDAS ? v / 127.5f - 1f
                        : (v / 255f - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
            }
        }
        return out;
    }
}
