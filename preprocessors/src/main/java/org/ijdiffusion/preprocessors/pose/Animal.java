package org.ijdiffusion.preprocessors.pose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One animal in the AP10K layout sd-webui-controlnet's animal pose uses: 17 keypoints (missing ones
 * null) in canvas pixels.
 */
public record Animal(List<Keypoint> keypoints) {
    /** Keypoints per animal. */
    public static final int POINTS = 17;

    public Animal {
        if (keypoints.size() != POINTS) {
            throw new IllegalArgumentException("An AP10K animal has " + POINTS + " keypoints, got " + keypoints.size());
        }
        keypoints = Collections.unmodifiableList(new ArrayList<>(keypoints));
    }

    Animal scaled(int numX, int denX, int numY, int denY) {
        return new Animal(Arrays.asList(Person.scale(keypoints.toArray(new Keypoint[0]), numX, denX, numY, denY)));
    }
}
