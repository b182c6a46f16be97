package org.ijdiffusion.preprocessors.pose;

/** The OpenPose COCO-18 body layout: limbs, their PAF channels, colours, COCO-17 mapping. */
public final class BodyLayout {
    /** Keypoints per person. */
    public static final int PARTS = 18;

    /** Limb k joins parts LIMBS[k][0] and LIMBS[k][1] (0-based). */
    static final int[][] LIMBS = zeroBased(new int[][] {
        {2, 3}, {2, 6}, {3, 4}, {4, 5}, {6, 7}, {7, 8}, {2, 9}, {9, 10}, {10, 11}, {2, 12}, {12, 13},
        {13, 14}, {2, 1}, {1, 15}, {15, 17}, {1, 16}, {16, 18}, {3, 17}, {6, 18}});

    /** PAF channels (x, y) of limb k, counted from the first PAF channel. */
    static final int[][] PAF_CHANNELS = offset(new int[][] {
        {31, 32}, {39, 40}, {33, 34}, {35, 36}, {41, 42}, {43, 44}, {19, 20}, {21, 22}, {23, 24},
        {25, 26}, {27, 28}, {29, 30}, {47, 48}, {49, 50}, {53, 54}, {51, 52}, {55, 56}, {37, 38},
        {45, 46}}, -19);

    /** Limbs drawn on the map (the last two, ear-shoulder, are not). */
    static final int DRAWN_LIMBS = 17;

    /** Colour of limb i and of keypoint i, 0xRRGGBB. */
    static final int[] COLORS = {
        0xFF0000, 0xFF5500, 0xFFAA00, 0xFFFF00, 0xAAFF00, 0x55FF00, 0x00FF00, 0x00FF55, 0x00FFAA,
        0x00FFFF, 0x00AAFF, 0x0055FF, 0x0000FF, 0x5500FF, 0xAA00FF, 0xFF00FF, 0xFF00AA, 0xFF0055};

    /** COCO-17 index -> OpenPose-18 index. */
    static final int[] COCO17_TO_OPENPOSE = {0, 15, 14, 17, 16, 5, 2, 6, 3, 7, 4, 11, 8, 12, 9, 13, 10};

    /** COCO-17 keypoints (and the derived neck) below this score are dropped. */
    static final double COCO17_MIN_SCORE = 0.3;

    private BodyLayout() {
    }

    /**
     * Converts a 17-keypoint COCO person (x, y, score triples) to the 18-point layout: neck = mean
     * of the shoulders when both score above 0.3; keypoints scoring under 0.3 are dropped.
     */
    public static Person fromCoco17(double[] xys) {
        if (xys.length != 17 * 3) {
            throw new IllegalArgumentException("COCO-17 keypoints need 51 numbers, got " + xys.length);
        }
        Keypoint[] kp = new Keypoint[PARTS];
        for (int c = 0; c < 17; c++) {
            double s = xys[3 * c + 2];
            if (s >= COCO17_MIN_SCORE) {
                kp[COCO17_TO_OPENPOSE[c]] = new Keypoint(xys[3 * c], xys[3 * c + 1], s);
            }
        }
        double sl = xys[3 * 5 + 2];
        double sr = xys[3 * 6 + 2];
        if (sl > COCO17_MIN_SCORE && sr > COCO17_MIN_SCORE) {
            kp[1] = new Keypoint((xys[15] + xys[18]) / 2, (xys[16] + xys[19]) / 2, Math.min(sl, sr));
        }
        return new Person(kp);
    }

    private static int[][] zeroBased(int[][] pairs) {
        return offset(pairs, -1);
    }

    private static int[][] offset(int[][] pairs, int d) {
        int[][] out = new int[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            out[i] = new int[] {pairs[i][0] + d, pairs[i][1] + d};
        }
        return out;
    }
}
