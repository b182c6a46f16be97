package org.ijdiffusion.preprocessors.depth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepthEstimatorTest {
    private static final int N = 518;

    private static Path model() {
        return TestFiles.file("depth/tiny-depth-518.onnx");
    }

    private static float[] f32(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(TestFiles.file("depth/" + name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    @Test
    void networkOutputMatchesReference() throws Exception {
        DepthEstimator d = DepthEstimator.load(model(), DepthModelKind.DEPTH_ANYTHING_V2);
        float[] in = f32("tiny-depth-518.input.f32");
        float[] ref = f32("tiny-depth-518.output.f32");
        int[] size = new int[2];
        float[] out = d.runNetwork(in, N, N, size);
        assertEquals(N, size[0]);
        assertEquals(N, size[1]);
        assertEquals(ref.length, out.length);
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.abs(out[i] - ref[i]));
        }
        System.out.println("depth net output vs reference: max |diff| = " + max);
        assertTrue(max < 1e-5, "max |diff| " + max);
    }

    @Test
    void pipelineOnAPhoto() throws Exception {
        // the tiny network was exported with a fixed 518x518 input
        DepthEstimator d = DepthEstimator.load(model(), DepthModelKind.DEPTH_ANYTHING_V2, N, N);
        RgbImage bird = TestFiles.image("images/bird.png");
        int[] before = bird.argb().clone();
        long t0 = System.nanoTime();
        RgbImage map = d.map(bird, 512, bird.width(), bird.height());
        System.out.printf("depth map %dx%d: %.0f ms%n", bird.width(), bird.height(), (System.nanoTime() - t0) / 1e6);
        assertArrayEquals(before, bird.argb());
        assertEquals(bird.width(), map.width());
        assertEquals(bird.height(), map.height());

        // at the detect size the map is exactly the min-max scaled, bilinearly resized network output
        RgbImage atDetect = d.map(bird, 512, 512, 768);
        org.opencv.core.Mat rgb = org.ijdiffusion.preprocessors.Mats.toRgbMat(bird);
        org.opencv.core.Mat small = org.ijdiffusion.preprocessors.DetectResolution.resizeForDetection(rgb, 512);
        org.opencv.core.Mat net = new org.opencv.core.Mat();
        org.opencv.imgproc.Imgproc.resize(small, net, new org.opencv.core.Size(N, N), 0, 0,
                org.opencv.imgproc.Imgproc.INTER_CUBIC);
        byte[] px = new byte[N * N * 3];
        net.get(0, 0, px);
        float[] blob = new float[3 * N * N];
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < N * N; i++) {
                blob[c * N * N + i] = ((px[3 * i + c] & 0xFF) / 255f - mean[c]) / std[c];
            }
        }
        float[] out = d.runNetwork(blob, N, N, new int[2]);
        org.opencv.core.Mat o = new org.opencv.core.Mat(N, N, org.opencv.core.CvType.CV_32F);
        o.put(0, 0, out);
        org.opencv.core.Mat back = new org.opencv.core.Mat();
        org.opencv.imgproc.Imgproc.resize(o, back, new org.opencv.core.Size(512, 768), 0, 0,
                org.opencv.imgproc.Imgproc.INTER_LINEAR);
        float[] v = new float[512 * 768];
        back.get(0, 0, v);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        int off = 0;
        int nearest = 0;
        for (int i = 0; i < v.length; i++) {
            int expect = (int) ((v[i] - lo) / (hi - lo) * 255f);
            int p = atDetect.argb()[i];
            int r = (p >> 16) & 0xFF;
            assertEquals(r, (p >> 8) & 0xFF);
            assertEquals(r, p & 0xFF);
            off += r != expect ? 1 : 0;
            nearest += v[i] == hi && r == 255 ? 1 : 0;
        }
        System.out.println("depth pipeline: pixels off the independent computation = " + off);
        assertEquals(0, off);
        assertTrue(nearest > 0, "the nearest point must be white");
    }

    @Test
    void dynamicSizeRule() {
        // 768 * 518 / 512 = 777 = 55.5 * 14: halves round to even, as numpy does
        assertArrayEquals(new int[] {518, 784}, DepthInput.size(DepthModelKind.DEPTH_ANYTHING_V2, 512, 768));
        assertArrayEquals(new int[] {518, 518}, DepthInput.size(DepthModelKind.DEPTH_ANYTHING_V2, 512, 512));
        assertArrayEquals(new int[] {924, 518}, DepthInput.size(DepthModelKind.DEPTH_ANYTHING_V2, 1024, 576));
        assertArrayEquals(new int[] {640, 384}, DepthInput.size(DepthModelKind.MIDAS, 640, 384));
    }

    @Test
    void largePhotoTimingAndInputUntouched() {
        DepthEstimator d = DepthEstimator.load(model(), DepthModelKind.DEPTH_ANYTHING_V2, N, N);
        RgbImage big = TestFiles.noise(2048, 1536, 7);
        int[] before = big.argb().clone();
        long t0 = System.nanoTime();
        RgbImage map = d.map(big, 512, 2048, 1536);
        System.out.printf("depth 2048x1536 (detect 512, tiny net): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(2048, map.width());
        assertArrayEquals(before, big.argb());
    }

    @Test
    void missingAndCorruptFilesGiveClearMessages(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("depth_anything_v2_vits.onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DepthEstimator.load(missing, DepthModelKind.DEPTH_ANYTHING_V2));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().startsWith("Depth model not found: " + missing));
        assertTrue(e.getMessage().contains("Depth Anything V2 Small"));
        Path corrupt = tmp.resolve("corrupt.onnx");
        byte[] good = Files.readAllBytes(model());
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 3));
        e = assertThrows(IllegalArgumentException.class, () -> DepthEstimator.load(corrupt, DepthModelKind.MIDAS));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("could not load the depth model " + corrupt));
        assertTrue(!e.getMessage().contains("/home/runner"), "no build paths in user messages");
    }
}
