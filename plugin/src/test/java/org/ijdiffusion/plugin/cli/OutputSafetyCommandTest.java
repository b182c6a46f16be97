package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command refuses, before any work, an output that is one of its inputs; outputs appear whole. */
class OutputSafetyCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path photo;

    @BeforeAll
    static void files() throws Exception {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
        model = Files.copy(InspectCommandTest.model("tiny-sd15.safetensors"), dir.resolve("model.safetensors"));
        photo = dir.resolve("photo.png");
        ImageFiles.write(RgbImage.black(40, 32), photo);
    }

    private static byte[] digest(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    /** Runs a command that must be refused with exit 2 naming both files, leaving {@code kept} as it was. */
    private static String refused(Path kept, String... args) throws Exception {
        byte[] before = digest(kept);
        InspectCommandTest.Result r = InspectCommandTest.run(args);
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertArrayEquals(before, digest(kept), kept + " was changed");
        return r.err();
    }

    private static String[] generate(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", "a cat",
                "--steps", "1", "--width", "64", "--height", "64"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void generateNeverWritesOverItsInputs() throws Exception {
        // the checkpoint, spelled relative to the working directory
        Path relModel = Paths.get("").toAbsolutePath().relativize(model);
        String e = refused(model, generate("--out", relModel.toString()));
        assertTrue(e.contains("is the --model file"), e);
        // f-0.png of a batch is the init image
        Path f0 = dir.resolve("f-0.png");
        Files.copy(photo, f0, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = refused(f0, generate("--init", f0.toString(), "--batch", "2", "--out", dir.resolve("f.png").toString()));
        assertTrue(e.contains("f-0.png is the --init file"), e);
        // the control image through a symlinked folder
        Path link = Files.createSymbolicLink(dir.resolve("via-link"), dir);
        e = refused(photo, generate("--control", InspectCommandTest.model("tiny-controlnet.safetensors").toString(),
                "--control-image", photo.toString(), "--out", link.resolve("photo.png").toString()));
        assertTrue(e.contains("is the --control-image file"), e);
        // the mask as a hard link
        Path hard = Files.createLink(dir.resolve("hard-mask.png"), photo);
        e = refused(photo, generate("--init", photo.toString(), "--mask", hard.toString(), "--out",
                dir.resolve("sub/../photo.png").toString()));
        assertTrue(e.contains("is the --init file") || e.contains("is the --mask file"), e);
        // a folder as --out
        e = refused(photo, generate("--out", dir.toString()));
        assertTrue(e.contains("is a folder"), e);
    }

    @Test
    void preprocessRenderPoseAndBenchNeverWriteOverTheirInputs() throws Exception {
        String e = refused(photo, "preprocess", "canny", "--in", photo.toString(), "--out",
                dir.resolve("./x/../photo.png").toString());
        assertTrue(e.contains("is the --in file"), e);
        e = refused(photo, "preprocess", "openpose", "--in", photo.toString(), "--out", dir.resolve("map.png").toString(),
                "--pose-json", photo.toString());
        assertTrue(e.contains("--pose-json") && e.contains("is the --in file"), e);
        e = refused(photo, "preprocess", "canny", "--in", photo.toString(), "--out", dir.toString());
        assertTrue(e.contains("is a folder"), e);
        Path pose = Files.writeString(dir.resolve("pose.json"), "{\"people\":[],\"canvas_width\":8,\"canvas_height\":8}");
        e = refused(pose, "render-pose", "--pose", pose.toString(), "--out", pose.toString());
        assertTrue(e.contains("is the --pose file"), e);
        e = refused(model, "bench", "--model", model.toString(), "--profile", model.toString());
        assertTrue(e.contains("--profile") && e.contains("is the --model file"), e);
    }

    /** A real run replaces an existing output whole and leaves no temporary file behind. */
    @Test
    void outputsAreReplacedWholeWithNoTemporaryFileLeft() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path out = Files.writeString(work.resolve("edges.png"), "an older file");
        InspectCommandTest.Result r = InspectCommandTest.run("preprocess", "canny", "--in",
                InspectCommandTest.model("../images/room.png").toString(), "--width", "64", "--height", "48",
                "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertEquals(64, ImageInput.read(out).width());
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(out), s.toList());
        }
    }
}
