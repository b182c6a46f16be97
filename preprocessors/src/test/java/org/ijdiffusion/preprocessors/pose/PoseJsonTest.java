package org.ijdiffusion.preprocessors.pose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoseJsonTest {

    @Test
    void coco17IsMappedWithNeckFromShoulders() {
        double[] v = new double[51];
        set(v, 0, 80, 30, 0.2);   // nose, too weak
        set(v, 1, 85, 25, 0.9);   // left eye -> 15
        set(v, 5, 100, 50, 0.9);  // left shoulder -> 5
        set(v, 6, 60, 52, 0.8);   // right shoulder -> 2
        set(v, 16, 70, 190, 0.7); // right ankle -> 10
        String json = "{\"canvas_width\":200,\"canvas_height\":200,\"people\":[{\"pose_keypoints_2d\":"
                + java.util.Arrays.toString(v) + "}]}";
        Person p = PoseJson.read(json).people().get(0);
        assertNull(p.keypoint(0));
        assertEquals(new Keypoint(85, 25, 0.9), p.keypoint(15));
        assertEquals(new Keypoint(100, 50, 0.9), p.keypoint(5));
        assertEquals(new Keypoint(60, 52, 0.8), p.keypoint(2));
        assertEquals(new Keypoint(70, 190, 0.7), p.keypoint(10));
        assertEquals(80, p.keypoint(1).x(), 1e-12);
        assertEquals(51, p.keypoint(1).y(), 1e-12);
        assertEquals(5, p.count());
    }

    @Test
    void roundTripAndListForm() {
        Keypoint[] kp = new Keypoint[18];
        kp[1] = new Keypoint(10.5, 20, 0.75);
        kp[17] = new Keypoint(-3, 400, 1);
        Pose pose = new Pose(64, 128, java.util.List.of(new Person(kp)));
        String json = PoseJson.write(pose);
        assertTrue(json.contains("pose_keypoints_2d"));
        Pose read = PoseJson.read(json);
        assertEquals(PoseTesting.withFullConfidence(pose), read);
        assertEquals(1.0, read.people().get(0).keypoint(1).score());
        assertEquals(read, PoseJson.read("[" + json + "]"));
    }

    @Test
    void badJsonSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read("{\"people\":[]}"))
                .getMessage().contains("canvas_width"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read("{oops"))
                .getMessage().contains("not valid JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read(
                "{\"canvas_width\":4,\"canvas_height\":4,\"people\":[{\"pose_keypoints_2d\":[1,2,3]}]}"))
                .getMessage().contains("54"));
    }

    private static void set(double[] v, int i, double x, double y, double c) {
        v[3 * i] = x;
        v[3 * i + 1] = y;
        v[3 * i + 2] = c;
    }
}
