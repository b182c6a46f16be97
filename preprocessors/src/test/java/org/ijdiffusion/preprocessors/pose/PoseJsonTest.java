package org.ijdiffusion.preprocessors.pose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    @Test
    void normalisedCoordinatesAreTimesTheCanvasPerList() {
        // sd-webui-controlnet's own export: normalised body, pixel hand (one list is judged at a time)
        double[] body = new double[54];
        set(body, 0, 0.5, 0.25, 1);
        set(body, 1, 0.5, 0.5, 1);
        set(body, 2, -0.1, 0.5, 1); // |x| <= 1 still counts as normalised, as there
        double[] hand = new double[63];
        set(hand, 0, 30, 40, 1);
        set(hand, 5, 0.5, 0.5, 1);
        String json = "{\"canvas_width\":640,\"canvas_height\":427,\"people\":[{\"pose_keypoints_2d\":"
                + java.util.Arrays.toString(body) + ",\"hand_left_keypoints_2d\":" + java.util.Arrays.toString(hand)
                + ",\"face_keypoints_2d\":null}]}";
        PoseJson.Decoded d = PoseJson.decode(json, 0, 0);
        assertEquals(List.of(), d.warnings());
        Person p = d.pose().people().get(0);
        assertEquals(new Keypoint(320, 106.75, 1), p.keypoint(0));
        assertEquals(new Keypoint(320, 213.5, 1), p.keypoint(1));
        assertEquals(-64, p.keypoint(2).x(), 1e-12);
        assertEquals(new Keypoint(30, 40, 1), p.leftHand().get(0));
        assertEquals(new Keypoint(0.5, 0.5, 1), p.leftHand().get(5));
        assertEquals(0, p.face().size());
        assertEquals(0, p.rightHand().size());
    }

    @Test
    void normalisedWithAPointOffTheCanvasIsPixelsAsThereButWarned() {
        double[] body = new double[54];
        set(body, 0, 0.5, 0.25, 1);
        set(body, 10, 0.5, 1.05, 1); // an ankle below the canvas
        String json = "{\"canvas_width\":512,\"canvas_height\":512,\"people\":[{\"pose_keypoints_2d\":"
                + java.util.Arrays.toString(body) + "}]}";
        PoseJson.Decoded d = PoseJson.decode(json, 0, 0);
        assertEquals(new Keypoint(0.5, 0.25, 1), d.pose().people().get(0).keypoint(0));
        assertEquals(1, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).contains("person 0 pose_keypoints_2d") && d.warnings().get(0).contains("1.050"),
                d.warnings().get(0));
    }

    @Test
    void cmuBody25IsMappedToCoco18AndNeedsACanvas() {
        double[] b25 = new double[75];
        for (int i = 0; i < 25; i++) {
            set(b25, i, 100 + i, 200 + i, 0.5);
        }
        set(b25, 13, 0, 0, 0); // left knee missing
        String json = "{\"version\":1.3,\"people\":[{\"person_id\":[-1],\"pose_keypoints_2d\":"
                + java.util.Arrays.toString(b25) + ",\"pose_keypoints_3d\":[],\"face_keypoints_3d\":[]}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.decode(json, 0, 0)).getMessage()
                .contains("CMU OpenPose"));
        PoseJson.Decoded d = PoseJson.decode(json, 640, 427);
        assertEquals(1, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).contains("640x427"));
        Person p = d.pose().people().get(0);
        int[] from = {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
        for (int j = 0; j < 18; j++) {
            if (from[j] == 13) {
                assertNull(p.keypoint(j));
            } else {
                assertEquals(new Keypoint(100 + from[j], 200 + from[j], 0.5), p.keypoint(j), "COCO-18 " + j);
            }
        }
        // the canvas in the file wins over the fallback
        assertEquals(64, PoseJson.decode("{\"canvas_width\":64,\"canvas_height\":32,\"people\":[]}", 640, 427)
                .pose().canvasWidth());
    }

    @Test
    void unknownKeysAndIgnoredPartsAreWarnedByName() {
        String json = "[{\"canvas_width\":64,\"canvas_height\":64,\"mystery\":1,\"people\":[{\"pose_keypoints_2d\":"
                + java.util.Arrays.toString(new double[54]) + ",\"extra_points\":[],\"pose_keypoints_3d\":[1,2,3,4]}]},"
                + "{\"canvas_width\":64,\"canvas_height\":64}]";
        List<String> w = PoseJson.decode(json, 0, 0).warnings();
        assertTrue(w.stream().anyMatch(s -> s.contains("'mystery'")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("'extra_points'")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("'pose_keypoints_3d'")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("only the first")), w.toString());
    }

    @Test
    void animalsAndHandsOfOtherLengthsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read(
                "{\"canvas_width\":4,\"canvas_height\":4,\"animals\":[[1,2,1]]}")).getMessage()
                .contains("AP10K"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read(
                "{\"canvas_width\":4,\"canvas_height\":4,\"people\":[{\"pose_keypoints_2d\":"
                        + java.util.Arrays.toString(new double[54]) + ",\"hand_right_keypoints_2d\":[1,2,1]}]}"))
                .getMessage().contains("hand_right_keypoints_2d"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read(
                "{\"canvas_width\":4,\"canvas_height\":4,\"people\":[{\"pose_keypoints_2d\":[1,2]}]}"))
                .getMessage().contains("triples"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoseJson.read(
                "{\"canvas_width\":0.5,\"canvas_height\":4,\"people\":[]}")).getMessage().contains("canvas_width"));
    }

    @Test
    void writtenAsSdWebuiControlnetsImporterReadsIt() {
        Keypoint[] kp = new Keypoint[18];
        kp[0] = new Keypoint(12.5, 30, 0.42);
        Keypoint[] hand = new Keypoint[21];
        hand[3] = new Keypoint(5, 6, 0.3);
        Pose pose = new Pose(64, 48, List.of(new Person(kp, null, hand, null)));
        com.google.gson.JsonObject root = com.google.gson.JsonParser.parseString(PoseJson.write(pose)).getAsJsonObject();
        assertEquals(64, root.get("canvas_width").getAsInt());
        assertEquals(48, root.get("canvas_height").getAsInt());
        assertTrue(root.getAsJsonArray("animals").isEmpty());
        com.google.gson.JsonObject p = root.getAsJsonArray("people").get(0).getAsJsonObject();
        com.google.gson.JsonArray b = p.getAsJsonArray("pose_keypoints_2d");
        assertEquals(54, b.size());
        // present: x, y, 1.0 (its importer drops c < 1); missing: 0, 0, 0
        assertEquals(List.of(12.5, 30.0, 1.0, 0.0, 0.0, 0.0), List.of(b.get(0).getAsDouble(), b.get(1).getAsDouble(),
                b.get(2).getAsDouble(), b.get(3).getAsDouble(), b.get(4).getAsDouble(), b.get(5).getAsDouble()));
        assertEquals(63, p.getAsJsonArray("hand_left_keypoints_2d").size());
        assertEquals(1.0, p.getAsJsonArray("hand_left_keypoints_2d").get(11).getAsDouble());
        assertTrue(!p.has("hand_right_keypoints_2d") && !p.has("face_keypoints_2d"));
    }

    private static void set(double[] v, int i, double x, double y, double c) {
        v[3 * i] = x;
        v[3 * i + 1] = y;
        v[3 * i + 2] = c;
    }
}
