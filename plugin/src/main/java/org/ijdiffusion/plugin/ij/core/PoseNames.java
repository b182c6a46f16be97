package org.ijdiffusion.plugin.ij.core;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the pose keypoints as ImageJ point selections: {@code person<N>/<joint>} (N from 1, the
 * OpenPose COCO-18 joint names), and {@code person<N>/face_<i>}, {@code person<N>/left_hand_<i>},
 * {@code person<N>/right_hand_<i>} (i from 0, OpenPose's face and hand order), so a moved point keeps
 * its meaning. No ImageJ here.
 */
public final class PoseNames {
    /** OpenPose COCO-18 order. */
    public static final List<String> JOINTS = List.of("nose", "neck", "right_shoulder", "right_elbow", "right_wrist",
            "left_shoulder", "left_elbow", "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip",
            "left_knee", "left_ankle", "right_eye", "left_eye", "right_ear", "left_ear");
    private static final Pattern NAME = Pattern.compile("person(\\d+)/([a-z_]+)");
    private static final Pattern EXTRA = Pattern.compile("person(\\d+)/(face|left_hand|right_hand)_(\\d+)");

    private static final Pattern ANIMAL = Pattern.compile("animal(\\d+)/point_(\\d+)");

    /** Point {@code index} (AP10K order, from 0) of animal {@code animal} (from 0). */
    public static String animalName(int animal, int index) {
        return "animal" + (animal + 1) + "/point_" + index;
    }

    /** {animal, index} of a point named by {@link #animalName}, or null. */
    public static int[] parseAnimal(String name) {
        if (name == null) {
            return null;
        }
        Matcher m = ANIMAL.matcher(name.trim());
        try {
            return m.matches() && Integer.parseInt(m.group(1)) > 0
                    ? new int[] {Integer.parseInt(m.group(1)) - 1, Integer.parseInt(m.group(2))} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The face and hand point lists of a person. */
    public enum Extra {
        FACE("face"), LEFT_HAND("left_hand"), RIGHT_HAND("right_hand");

        private final String label;

        Extra(String label) {
            this.label = label;
        }
    }

    /** A parsed face or hand point name: person index from 0, list, point index from 0. */
    public record ExtraId(int person, Extra extra, int index) {
    }

    public static String name(int person, Extra extra, int index) {
        return "person" + (person + 1) + "/" + extra.label + "_" + index;
    }

    /** The id of a point named by {@link #name(int, Extra, int)}, or null for any other name. */
    public static ExtraId parseExtra(String name) {
        if (name == null) {
            return null;
        }
        Matcher m = EXTRA.matcher(name.trim());
        if (!m.matches()) {
            return null;
        }
        int p;
        int i;
        try {
            p = Integer.parseInt(m.group(1)) - 1;
            i = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            return null;
        }
        Extra x = m.group(2).equals("face") ? Extra.FACE : m.group(2).equals("left_hand") ? Extra.LEFT_HAND
                : Extra.RIGHT_HAND;
        return p < 0 || i > 1000 ? null : new ExtraId(p, x, i);
    }

    /** A parsed name: person index from 0 and joint index. */
    public record Id(int person, int joint) {
    }

    private PoseNames() {
    }

    public static String name(int person, int joint) {
        return "person" + (person + 1) + "/" + JOINTS.get(joint);
    }

    /** The id of a point named by {@link #name}, or null for any other name. */
    public static Id parse(String name) {
        if (name == null) {
            return null;
        }
        Matcher m = NAME.matcher(name.trim());
        if (!m.matches()) {
            return null;
        }
        int j = JOINTS.indexOf(m.group(2));
        int p = Integer.parseInt(m.group(1)) - 1;
        return j < 0 || p < 0 ? null : new Id(p, j);
    }
}
