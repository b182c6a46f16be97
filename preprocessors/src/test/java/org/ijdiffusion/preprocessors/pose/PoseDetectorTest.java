package org.ijdiffusion.preprocessors.pose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoseDetectorTest {
    private static PoseDetector detector;
    private static RgbImage ski;
    private static Pose skiPose;
    private static PoseDetector.Detection skiDetection;

    @BeforeAll
    static void load() throws Exception {
        detector = PoseDetector.bundled();
        ski = TestFiles.image("images/ski.jpg");
        int[] before = ski.argb().clone();
        skiDetection = detector.run(ski, 512);
        skiPose = skiDetection.pose();
        assertArrayEquals(before, ski.argb(), "detection modified its input");
    }

    @Test
    void skiFindsFivePeopleAndMatchesReferenceMap() throws Exception {
        System.out.println("ski: " + skiPose.people().size() + " people on " + skiPose.canvasWidth() + "x"
                + skiPose.canvasHeight());
        assertEquals(5, skiPose.people().size());
        assertEquals(ski.width(), skiPose.canvasWidth());
        assertEquals(ski.height(), skiPose.canvasHeight());
        assertEquals(512, skiDetection.detectCanvas().canvasWidth());
        assertEquals(512, skiDetection.detectCanvas().canvasHeight());
        for (Person p : skiPose.people()) {
            assertTrue(p.count() >= 4);
        }
        RgbImage map = PoseRenderer.render(skiDetection.detectCanvas());
        RgbImage ref = TestFiles.image("images/ski-openpose-reference.png");
        int diff = TestFiles.differingPixels(map, ref);
        System.out.println("ski openpose map: differing pixels vs reference = " + diff + " of " + ref.argb().length);
        assertTrue(diff <= 50, "differing pixels " + diff);
    }

    @Test
    void jsonRoundTripGivesTheSameMap() {
        String json = PoseJson.write(skiPose);
        Pose back = PoseJson.read(json);
        assertEquals(PoseTesting.withFullConfidence(skiPose), back);
        RgbImage a = PoseRenderer.render(skiPose);
        RgbImage b = PoseRenderer.render(back);
        assertEquals(0, TestFiles.differingPixels(a, b));
        a = skiDetection.map(ski.width(), ski.height());
        RgbImage viaDetector = detector.map(ski, 512, ski.width(), ski.height());
        assertEquals(0, TestFiles.differingPixels(a, viaDetector));
        assertEquals(ski.width(), a.width());
    }

    @Test
    void sameResultAfterAnInputOfAnotherShape() {
        detector.detect(TestFiles.noise(640, 480, 5), 512);
        assertEquals(skiPose, detector.detect(ski, 512));
    }

    @Test
    void largePhotoTimingAndInputUntouched() {
        RgbImage big = TestFiles.noise(2048, 1536, 3);
        int[] before = big.argb().clone();
        long t0 = System.nanoTime();
        RgbImage map = detector.map(big, 512, 2048, 1536);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("OpenPose 2048x1536 (detect 512): %.0f ms%n", ms);
        assertEquals(1536, map.height());
        assertArrayEquals(before, big.argb());
    }

    @Test
    void missingAndCorruptModelsGiveClearMessages(@TempDir Path tmp) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoseDetector.load(tmp.resolve("nope.caffemodel")));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.caffemodel"));
        Path bad = tmp.resolve("pose.onnx");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        e = assertThrows(IllegalArgumentException.class, () -> PoseDetector.load(bad));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("could not load") && e.getMessage().contains("pose.onnx"));
        Path caffe = tmp.resolve("pose_iter_440000.caffemodel");
        Files.write(caffe, new byte[] {1});
        e = assertThrows(IllegalArgumentException.class, () -> PoseDetector.load(caffe));
        assertTrue(e.getMessage().contains("prototxt"));
    }
}
