package org.ijdiffusion.preprocessors.pose;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One person: 18 body keypoints in the OpenPose COCO layout (missing ones null) and, when known,
 * the face (70 points in CMU's layout, 68 in DWPose's) and the two hands (21 points each). All in
 * canvas pixels.
 */
public final class Person {
    /** Keypoints per hand (OpenPose hand layout). */
    public static final int HAND_POINTS = 21;

    private final Keypoint[] keypoints;
    private final Keypoint[] face;
    private final Keypoint[] leftHand;
    private final Keypoint[] rightHand;

    public Person(Keypoint[] keypoints) {
        this(keypoints, null, null, null);
    }

    /** {@code face}, {@code leftHand}, {@code rightHand}: null when not known (a hand has 21 points). */
    public Person(Keypoint[] keypoints, Keypoint[] face, Keypoint[] leftHand, Keypoint[] rightHand) {
        if (keypoints.length != BodyLayout.PARTS) {
            throw new IllegalArgumentException("A person has " + BodyLayout.PARTS + " keypoints, got "
                    + keypoints.length);
        }
        for (Keypoint[] hand : new Keypoint[][] {leftHand, rightHand}) {
            if (hand != null && hand.length != HAND_POINTS) {
                throw new IllegalArgumentException("A hand has " + HAND_POINTS + " keypoints, got " + hand.length);
            }
        }
        this.keypoints = keypoints.clone();
        this.face = face == null ? null : face.clone();
        this.leftHand = leftHand == null ? null : leftHand.clone();
        this.rightHand = rightHand == null ? null : rightHand.clone();
    }

    /** Keypoint {@code part} (0 nose, 1 neck, ... 17 left ear) or null when not detected. */
    public Keypoint keypoint(int part) {
        return keypoints[part];
    }

    public List<Keypoint> keypoints() {
        return Collections.unmodifiableList(Arrays.asList(keypoints));
    }

    /** Face keypoints (entries null when missing), empty when the person has no face. */
    public List<Keypoint> face() {
        return list(face);
    }

    public List<Keypoint> leftHand() {
        return list(leftHand);
    }

    public List<Keypoint> rightHand() {
        return list(rightHand);
    }

    /** The same person with every coordinate multiplied by (sx, sy) as {@code x * num / den}. */
    Person scaled(int numX, int denX, int numY, int denY) {
        return new Person(scale(keypoints, numX, denX, numY, denY), scale(face, numX, denX, numY, denY),
                scale(leftHand, numX, denX, numY, denY), scale(rightHand, numX, denX, numY, denY));
    }

    static Keypoint[] scale(Keypoint[] kp, int numX, int denX, int numY, int denY) {
        if (kp == null) {
            return null;
        }
        Keypoint[] out = new Keypoint[kp.length];
        for (int i = 0; i < kp.length; i++) {
            Keypoint k = kp[i];
            out[i] = k == null ? null : new Keypoint(k.x() * numX / denX, k.y() * numY / denY, k.score());
        }
        return out;
    }

    private static List<Keypoint> list(Keypoint[] kp) {
        return kp == null ? List.of() : Collections.unmodifiableList(Arrays.asList(kp));
    }

    /** Body keypoints present. */
    public int count() {
        int n = 0;
        for (Keypoint k : keypoints) {
            n += k != null ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Person p && Arrays.equals(keypoints, p.keypoints) && Arrays.equals(face, p.face)
                && Arrays.equals(leftHand, p.leftHand) && Arrays.equals(rightHand, p.rightHand);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keypoints) * 31 + Arrays.hashCode(face) * 7 + Arrays.hashCode(leftHand) * 3
                + Arrays.hashCode(rightHand);
    }

    @Override
    public String toString() {
        return "Person" + Arrays.toString(keypoints) + (face != null ? " face " + face.length : "")
                + (leftHand != null ? " left hand" : "") + (rightHand != null ? " right hand" : "");
    }
}
