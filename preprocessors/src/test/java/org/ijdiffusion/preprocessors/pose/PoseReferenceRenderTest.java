package org.ijdiffusion.preprocessors.pose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pose JSON files in sd-webui-controlnet's and CMU OpenPose's layouts drawn pixel for pixel as
 * sd-webui-controlnet's drawing rules give them: the expected maps were drawn with python OpenCV by
 * testdata/pose-reference/make_reference.py (see the NOTE there).
 */
class PoseReferenceRenderTest {

    @ParameterizedTest
    @CsvSource({
        "sdwebui-normalised, 2, 0",
        "sdwebui-pixels, 1, 0",
        "cmu-body25, 2, 0",
        "cmu-coco18, 1, 0",
        "animals, 0, 2"})
    void drawnAsSdWebuiControlnetDraws(String name, int people, int animals) throws Exception {
        String json = Files.readString(TestFiles.file("pose-reference/" + name + ".json"), StandardCharsets.UTF_8);
        PoseJson.Decoded d = PoseJson.decode(json, 640, 427);
        System.out.println(name + ": warnings " + d.warnings());
        for (String w : d.warnings()) {
            assertTrue(w.contains("names no canvas_width"), w); // only the CMU files' missing canvas
        }
        assertEquals(people, d.pose().people().size());
        assertEquals(animals, d.pose().animals().size());
        assertEquals(640, d.pose().canvasWidth());
        assertEquals(427, d.pose().canvasHeight());
        RgbImage map = PoseRenderer.render(d.pose());
        RgbImage ref = TestFiles.image("pose-reference/" + name + ".png");
        int diff = TestFiles.differingPixels(map, ref);
        System.out.println(name + ": differing pixels vs python OpenCV reference = " + diff);
        assertEquals(0, diff);

        // what we write reads back to the same map (sd-webui-controlnet's importer reads it the same way)
        Pose back = PoseJson.read(PoseJson.write(d.pose()));
        assertEquals(PoseTesting.withFullConfidence(d.pose()), back);
        assertEquals(0, TestFiles.differingPixels(map, PoseRenderer.render(back)));
    }
}
