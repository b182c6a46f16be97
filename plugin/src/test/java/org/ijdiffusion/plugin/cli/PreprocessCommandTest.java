package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessCommandTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    static Path testdata(String rel) {
        String p = System.getProperty("testdata.dir");
        return (p != null && !p.isBlank() ? Paths.get(p) : Paths.get("..", "testdata")).resolve(rel);
    }

    static int differing(RgbImage a, RgbImage b) {
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        int n = 0;
        for (int i = 0; i < a.argb().length; i++) {
            n += ((a.argb()[i] ^ b.argb()[i]) & 0xFFFFFF) != 0 ? 1 : 0;
        }
        return n;
    }

    private int preprocess(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "preprocess";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(all, new PrintStream(outBytes, true), new PrintStream(errBytes, true));
    }

    private int renderPose(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "render-pose";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(all, new PrintStream(outBytes, true), new PrintStream(errBytes, true));
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cannyMatchesReference(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("edges.png");
        assertEquals(0, preprocess("canny", "--in", testdata("canny-reference/canny_in_bird.png").toString(),
                "--out", out.toString()), err());
        int diff = differing(ImageFiles.read(out), ImageFiles.read(testdata("canny-reference/canny_py46_bird.png")));
        System.out.println("CLI canny: differing pixels = " + diff);
        assertEquals(0, diff);
    }

    @Test
    void openposeJsonRendersToTheSameMap(@TempDir Path tmp) throws Exception {
        Path map = tmp.resolve("pose.png");
        Path json = tmp.resolve("pose.json");
        assertEquals(0, preprocess("openpose", "--in", testdata("images/ski.jpg").toString(), "--out",
                map.toString(), "--pose-json", json.toString(), "--width", "512", "--height", "512"), err());
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("5 people"));
        Path again = tmp.resolve("again.png");
        assertEquals(0, renderPose("--pose", json.toString(), "--out", again.toString(), "--width", "512",
                "--height", "512"), err());
        assertEquals(0, differing(ImageFiles.read(map), ImageFiles.read(again)));
        assertEquals(0, differing(ImageFiles.read(map), ImageFiles.read(testdata("images/ski-openpose-reference.png"))));
    }

    @Test
    void depthWithTinyNetwork(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("depth.png");
        assertEquals(0, preprocess("depth", "--in", testdata("images/room.png").toString(), "--out", out.toString(),
                "--model", testdata("depth/tiny-depth-518.onnx").toString(), "--input-size", "518"), err());
        RgbImage m = ImageFiles.read(out);
        assertEquals(564, m.width());
        assertEquals(752, m.height());
    }

    @Test
    void badInputGivesExitCode2AndOneLine(@TempDir Path tmp) throws Exception {
        String in = testdata("images/room.png").toString();
        String out = tmp.resolve("x.png").toString();
        String[][] cases = {
            {"sobel", "--in", in, "--out", out},
            {"canny", "--in", in},
            {"canny", "--in", tmp.resolve("missing.png").toString(), "--out", out},
            {"canny", "--in", in, "--out", out, "--low", "300", "--high", "100"},
            {"canny", "--in", in, "--out", out, "--resolution", "big"},
            {"canny", "--in", in, "--out", out, "--colour", "red"},
            {"depth", "--in", in, "--out", out},
            {"depth", "--in", in, "--out", out, "--model", tmp.resolve("none.onnx").toString()},
            {"openpose", "--in", in, "--out", out, "--model", tmp.resolve("none.pb").toString()},
        };
        for (String[] c : cases) {
            errBytes.reset();
            assertEquals(2, preprocess(c), String.join(" ", c));
            String msg = err().strip();
            System.out.println(msg);
            assertTrue(msg.startsWith("ij-diffusion preprocess") && !msg.contains("\n"), msg);
        }
        errBytes.reset();
        assertEquals(2, renderPose("--pose", tmp.resolve("none.json").toString(), "--out", out));
        assertTrue(err().contains("not found"));
        Path badJson = tmp.resolve("bad.json");
        Files.writeString(badJson, "{\"people\": []}");
        errBytes.reset();
        assertEquals(2, renderPose("--pose", badJson.toString(), "--out", out));
        assertTrue(err().contains("canvas_width"), err());
    }

    @Test
    void renderPoseReadsCmuAndSdWebuiControlnetFiles(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("cmu.png");
        Path cmu = testdata("pose-reference/cmu-body25.json");
        assertEquals(2, renderPose("--pose", cmu.toString(), "--out", out.toString()));
        assertTrue(err().contains("--width/--height") || err().contains("CMU OpenPose"), err());
        assertTrue(!Files.exists(out));
        errBytes.reset();
        assertEquals(0, renderPose("--pose", cmu.toString(), "--out", out.toString(), "--width", "640",
                "--height", "427"), err());
        assertTrue(err().contains("warning: pose JSON names no canvas_width"), err());
        assertEquals(0, differing(ImageFiles.read(out), ImageFiles.read(testdata("pose-reference/cmu-body25.png"))));
        Path norm = tmp.resolve("norm.png");
        assertEquals(0, renderPose("--pose", testdata("pose-reference/sdwebui-normalised.json").toString(), "--out",
                norm.toString()), err());
        assertEquals(0, differing(ImageFiles.read(norm),
                ImageFiles.read(testdata("pose-reference/sdwebui-normalised.png"))));
        Path odd = tmp.resolve("odd.json");
        Files.writeString(odd, "{\"canvas_width\":8,\"canvas_height\":8,\"people\":[],\"colour\":1}");
        errBytes.reset();
        assertEquals(0, renderPose("--pose", odd.toString(), "--out", tmp.resolve("odd.png").toString()), err());
        assertTrue(err().contains("unknown key 'colour'"), err());
    }
}
