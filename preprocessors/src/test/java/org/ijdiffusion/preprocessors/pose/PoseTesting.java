package org.ijdiffusion.preprocessors.pose;

import java.util.Arrays;
import java.util.List;

/** Test helpers for poses. */
final class PoseTesting {
    private PoseTesting() {
    }

    /** The pose as its JSON reads back: every present point with confidence 1. */
    static Pose withFullConfidence(Pose pose) {
        return new Pose(pose.canvasWidth(), pose.canvasHeight(), pose.people().stream()
                .map(p -> new Person(ones(p.keypoints()), onesOrNull(p.face()), onesOrNull(p.leftHand()),
                        onesOrNull(p.rightHand())))
                .toList(), pose.animals().stream().map(a -> new Animal(Arrays.asList(ones(a.keypoints())))).toList());
    }

    private static Keypoint[] onesOrNull(List<Keypoint> kp) {
        return kp.isEmpty() ? null : ones(kp);
    }

    private static Keypoint[] ones(List<Keypoint> kp) {
        return kp.stream().map(k -> k == null ? null : new Keypoint(k.x(), k.y(), 1.0)).toArray(Keypoint[]::new);
    }
}
