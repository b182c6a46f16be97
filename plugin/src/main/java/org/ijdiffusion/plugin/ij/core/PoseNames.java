package org.ijdiffusion.plugin.ij.core;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the pose keypoints as ImageJ point selections: {@code person<N>/<joint>} (N from 1, the
 * OpenPose COCO-18 joint names), so a moved point keeps its meaning. No ImageJ here.
 */
public final class PoseNames {
    /** OpenPose COCO-18 order. */
    public static final List<String> JOINTS = List.of("nose", "neck", "right_shoulder", "right_elbow", "right_wrist",
            "left_shoulder", "left_elbow", "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip",
            "left_knee", "left_ankle", "right_eye", "left_eye", "right_ear", "left_ear");
    private static final Pattern NAME = Pattern.compile("person(\\d+)/([a-z_]+)");

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
