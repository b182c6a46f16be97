package org.ijdiffusion.preprocessors.pose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.ijdiffusion.preprocessors.RgbImage;
import org.junit.jupiter.api.Test;

/**
 * Pose round trip on a 640x427 picture whose keypoints are known: each joint is a 13x13 marker square
 * centred on a given pixel; the detector (with {@link MarkerMaps} in place of the network, so the detect-size
 * path is the real one: 768x512 canvas) must give those pixels back, and the maps drawn from the
 * points and the exported JSON must put them there too, all within 1 px.
 */
class PoseKnownPointsTest {
    static final int W = 640;
    static final int H = 427;
    /** True joints (COCO-18 order), image pixels. */
    static final int[][] TRUTH = {
        {300, 90}, {300, 135}, {255, 140}, {232, 195}, {221, 250}, {345, 140}, {371, 195}, {383, 252},
        {276, 252}, {270, 322}, {266, 395}, {325, 252}, {332, 322}, {338, 395}, {284, 66}, {316, 66},
        {262, 76}, {338, 76}};

    static RgbImage markers() {
        int[] argb = new int[W * H];
        java.util.Arrays.fill(argb, 0xFF000000);
        for (int j = 0; j < TRUTH.length; j++) {
            for (int dy = -6; dy <= 6; dy++) {
                for (int dx = -6; dx <= 6; dx++) {
                    argb[(TRUTH[j][1] + dy) * W + TRUTH[j][0] + dx] = 0xFF000000 | MarkerMaps.marker(j);
                }
            }
        }
        return new RgbImage(W, H, argb);
    }

    @Test
    void detectedRenderedAndExportedPointsAreTheImagePixels() {
        PoseDetector.Detection d = new PoseDetector(new MarkerMaps()).run(markers(), 512);
        assertEquals(768, d.detectCanvas().canvasWidth());
        assertEquals(512, d.detectCanvas().canvasHeight());
        Pose pose = d.pose();
        assertEquals(W, pose.canvasWidth());
        assertEquals(H, pose.canvasHeight());
        assertEquals(1, pose.people().size());
        Person p = pose.people().get(0);
        double max = 0;
        for (int j = 0; j < BodyLayout.PARTS; j++) {
            Keypoint k = p.keypoint(j);
            assertNotNull(k, "joint " + j);
            max = Math.max(max, Math.max(Math.abs(k.x() - TRUTH[j][0]), Math.abs(k.y() - TRUTH[j][1])));
        }
        System.out.printf("known points 640x427: detected max |diff| %.3f px%n", max);
        assertTrue(max <= 1.0, "detected points off by " + max + " px");

        // Render From Points (drawn at the image size) and the control map (drawn at 768x512, resized):
        // each joint's colour at its true pixel, unless a later joint's dot covers it
        RgbImage points = PoseRenderer.render(pose);
        RgbImage map = d.map(W, H);
        int checked = 0;
        for (int j = 0; j < BodyLayout.PARTS; j++) {
            if (coveredLater(j)) {
                continue;
            }
            assertTrue(near(points, TRUTH[j][0], TRUTH[j][1], BodyLayout.COLORS[j], 0), "points map, joint " + j);
            assertTrue(near(map, TRUTH[j][0], TRUTH[j][1], BodyLayout.COLORS[j], 2), "control map, joint " + j);
            checked++;
        }
        assertTrue(checked >= 12, "joints checked " + checked);

        // the exported JSON: image-pixel coordinates on the image's canvas, confidence 1
        JsonObject root = JsonParser.parseString(PoseJson.write(pose)).getAsJsonObject();
        assertEquals(W, root.get("canvas_width").getAsInt());
        assertEquals(H, root.get("canvas_height").getAsInt());
        JsonArray kp = root.getAsJsonArray("people").get(0).getAsJsonObject().getAsJsonArray("pose_keypoints_2d");
        for (int j = 0; j < BodyLayout.PARTS; j++) {
            assertEquals(TRUTH[j][0], kp.get(3 * j).getAsDouble(), 1.0, "json x of joint " + j);
            assertEquals(TRUTH[j][1], kp.get(3 * j + 1).getAsDouble(), 1.0, "json y of joint " + j);
            assertEquals(1.0, kp.get(3 * j + 2).getAsDouble());
        }
        // and reading it back draws the same map
        assertEquals(0, org.ijdiffusion.preprocessors.TestFiles.differingPixels(points,
                PoseRenderer.render(PoseJson.read(PoseJson.write(pose)))));
        assertEquals(List.of(), PoseJson.decode(PoseJson.write(pose), 0, 0).warnings());
    }

    /** A pixel within 1 px of (x, y) has the colour (each channel within tol). */
    private static boolean near(RgbImage m, int x, int y, int rgb, int tol) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int c = m.rgb(x + dx, y + dy);
                boolean ok = true;
                for (int s = 0; s < 24; s += 8) {
                    ok &= Math.abs(((c >> s) & 0xFF) - ((rgb >> s) & 0xFF)) <= tol;
                }
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean coveredLater(int j) {
        for (int o = j + 1; o < TRUTH.length; o++) {
            if (Math.hypot(TRUTH[o][0] - TRUTH[j][0], TRUTH[o][1] - TRUTH[j][1]) < 12) {
                return true;
            }
        }
        return false;
    }
}
