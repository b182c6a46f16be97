package org.ijdiffusion.preprocessors.pose;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** One person in the 18-keypoint OpenPose COCO layout; missing keypoints are null. */
public final class Person {
    private final Keypoint[] keypoints;

    public Person(Keypoint[] keypoints) {
        if (keypoints.length != BodyLayout.PARTS) {
            throw new IllegalArgumentException("A person has " + BodyLayout.PARTS + " keypoints, got "
                    + keypoints.length);
        }
        this.keypoints = keypoints.clone();
    }

    /** Keypoint {@code part} (0 nose, 1 neck, ... 17 left ear) or null when not detected. */
    public Keypoint keypoint(int part) {
        return keypoints[part];
    }

    public List<Keypoint> keypoints() {
        return Collections.unmodifiableList(Arrays.asList(keypoints));
    }

    public int count() {
        int n = 0;
        for (Keypoint k : keypoints) {
            n += k != null ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Person p && Arrays.equals(keypoints, p.keypoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keypoints);
    }

    @Override
    public String toString() {
        return "Person" + Arrays.toString(keypoints);
    }
}
