package org.ijdiffusion.preprocessors.pose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ijdiffusion.preprocessors.RgbImage;
import org.junit.jupiter.api.Test;

/** Colours at pixels worked out by hand from the drawing rules (limb colours dimmed to 60 %). */
class PoseRendererTest {
    private static final String JSON = """
            {"canvas_width": 200, "canvas_height": 100, "people": [
              {"pose_keypoints_2d": [50,20,1, 50,50,1, 80,50,1, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0,
                                     0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0]},
              {"pose_keypoints_2d": [0,0,0, 180,50,0.9, 0,0,0, 0,0,0, 0,0,0, 250,50,0.8, 0,0,0, 0,0,0, 0,0,0,
                                     0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0]},
              {"pose_keypoints_2d": [0,0,0, 20,60,1, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 20,80,0,
                                     0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0]},
              {"pose_keypoints_2d": [-10,-10,1, 10,10,1, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0,
                                     0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0, 0,0,0]}
            ]}""";

    @Test
    void coloursAtKnownPixels() {
        Pose pose = PoseJson.read(JSON);
        assertEquals(4, pose.people().size());
        RgbImage m = PoseRenderer.render(pose);
        assertEquals(200, m.width());
        assertEquals(100, m.height());
        // limb 0 (neck - right shoulder), red dimmed: 255 * 0.6 = 153
        assertEquals(0x990000, m.rgb(65, 50));
        assertEquals(0x990000, m.rgb(65, 53));
        assertEquals(0x000000, m.rgb(65, 56));
        // limb 12 (neck - nose), blue dimmed
        assertEquals(0x000099, m.rgb(50, 35));
        // joints on top, not dimmed: nose red, neck (255,85,0), right shoulder (255,170,0)
        assertEquals(0xFF0000, m.rgb(50, 20));
        assertEquals(0xFF5500, m.rgb(50, 50));
        assertEquals(0xFF5500, m.rgb(54, 50));
        assertEquals(0xFFAA00, m.rgb(80, 50));
        // second person: limb 1 (neck - left shoulder) runs out of the canvas, (255,85,0) * 0.6
        assertEquals(0x993300, m.rgb(190, 50));
        assertEquals(0x993300, m.rgb(199, 50));
        assertEquals(0xFF5500, m.rgb(180, 50));
        // third person: the hip has confidence 0, so no neck-hip limb
        assertEquals(0xFF5500, m.rgb(20, 60));
        assertEquals(0x000000, m.rgb(20, 70));
        assertEquals(0x000000, m.rgb(20, 80));
        // fourth person: nose outside the canvas, limb still drawn up to the border
        assertEquals(0x000099, m.rgb(3, 3));
        assertEquals(0xFF5500, m.rgb(10, 10));
        // nothing else lit far from all people
        assertEquals(0x000000, m.rgb(120, 90));
    }

    @Test
    void renderAtScalesKeypoints() {
        Pose pose = PoseJson.read(JSON);
        RgbImage m = PoseRenderer.renderAt(pose, 400, 200);
        assertEquals(0xFF5500, m.rgb(100, 100));
        assertEquals(0x990000, m.rgb(130, 100));
        assertEquals(0xFFAA00, m.rgb(160, 100));
    }
}
