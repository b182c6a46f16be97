package org.ijdiffusion.preprocessors.pose;

import java.util.List;

/** The people found on (or drawn onto) a canvas of {@code canvasWidth x canvasHeight} pixels. */
public record Pose(int canvasWidth, int canvasHeight, List<Person> people) {
    public Pose {
        if (canvasWidth <= 0 || canvasHeight <= 0) {
            throw new IllegalArgumentException("Pose canvas size must be positive, got " + canvasWidth + "x"
                    + canvasHeight);
        }
        people = List.copyOf(people);
    }
}
