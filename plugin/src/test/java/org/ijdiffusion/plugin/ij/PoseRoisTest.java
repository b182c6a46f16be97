package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ij.gui.Overlay;
import ij.gui.Roi;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.preprocessors.pose.Animal;
import org.ijdiffusion.preprocessors.pose.Keypoint;
import org.ijdiffusion.preprocessors.pose.Person;
import org.ijdiffusion.preprocessors.pose.Pose;
import org.junit.jupiter.api.Test;

/** A pose as point selections and back: body, face, hands and animals, at the image's pixels. */
class PoseRoisTest {

    @Test
    void bodyFaceHandsAndAnimalsSurviveTheOverlay() {
        Keypoint[] body = new Keypoint[18];
        body[0] = new Keypoint(600.25, 400.5, 0.8);
        body[1] = new Keypoint(12, 13, 1);
        Keypoint[] face = new Keypoint[70];
        face[3] = new Keypoint(100.5, 50.25, 1);
        face[68] = new Keypoint(101, 52, 1); // the last points of a 70-point face keep its length
        Keypoint[] left = new Keypoint[21];
        left[0] = new Keypoint(30, 40, 1);
        left[20] = new Keypoint(35, 45, 0.5);
        Keypoint[] animal = new Keypoint[17];
        animal[16] = new Keypoint(320, 200, 1);
        Pose pose = new Pose(640, 427, List.of(new Person(body, face, left, null), new Person(body)),
                List.of(new Animal(Arrays.asList(animal))));
        Overlay o = PoseRois.overlay(pose);
        assertEquals(2 + 2 + 2 + 2 + 1, o.size());
        assertEquals("person1/face_3", o.get(2).getName());
        Pose back = PoseRois.fromRois(List.<Roi>of(o.toArray()), 640, 427);
        assertEquals(640, back.canvasWidth());
        assertEquals(2, back.people().size());
        Person p = back.people().get(0);
        assertEquals(600.25, p.keypoint(0).x(), 1e-4);
        assertEquals(400.5, p.keypoint(0).y(), 1e-4);
        assertEquals(0.8, p.keypoint(0).score(), 1e-12);
        assertEquals(70, p.face().size());
        assertEquals(100.5, p.face().get(3).x(), 1e-4);
        assertEquals(21, p.leftHand().size());
        assertEquals(0.5, p.leftHand().get(20).score(), 1e-12);
        assertEquals(0, p.rightHand().size());
        assertNull(p.leftHand().get(1));
        assertEquals(0, back.people().get(1).face().size());
        assertEquals(1, back.animals().size());
        assertEquals(320, back.animals().get(0).keypoints().get(16).x(), 1e-4);
    }
}
