package org.ijdiffusion.preprocessors.pose;

import java.util.List;

/**
 * The people (and animals) found on, or drawn onto, a canvas of {@code canvasWidth x canvasHeight}
 * pixels; keypoints are in that canvas's pixels (for a detection: the image's own pixels).
 */
public record Pose(int canvasWidth, int canvasHeight, List<Person> people, List<Animal> animals) {
    public Pose {
        if (canvasWidth <= 0 || canvasHeight <= 0) {
            throw new IllegalArgumentException("Pose canvas size must be positive, got " + canvasWidth + "x"
                    + canvasHeight);
        }
        people = List.copyOf(people);
        animals = List.copyOf(animals);
    }

    public Pose(int canvasWidth, int canvasHeight, List<Person> people) {
        this(canvasWidth, canvasHeight, people, List.of());
    }

    /** The same pose on a {@code width x height} canvas, every coordinate scaled with it. */
    public Pose scaledTo(int width, int height) {
        if (width == canvasWidth && height == canvasHeight) {
            return this;
        }
        return new Pose(width, height,
                people.stream().map(p -> p.scaled(width, canvasWidth, height, canvasHeight)).toList(),
                animals.stream().map(a -> a.scaled(width, canvasWidth, height, canvasHeight)).toList());
    }
}
