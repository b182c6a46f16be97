package org.ijdiffusion.plugin.ij;

import static org.ijdiffusion.plugin.ij.HeadlessImageJ.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command through a real ImageJ macro, headless (ij1-patcher, as Fiji --headless), on the tiny
 * random-weight checkpoint: results, recorded macro lines, and the messages for invalid input.
 */
class MacroCommandsTest {
    static final Path TESTDATA = testdata();
    static final String MODELS = TESTDATA.resolve("models").toString();

    @TempDir
    Path tmp;

    static Path testdata() {
        String p = System.getProperty("testdata.dir");
        return (p != null && !p.isBlank() ? Paths.get(p) : Paths.get("..", "testdata")).toAbsolutePath();
    }

    /** The Settings line pointing the suite at the test models (and optionally a preprocessor folder). */
    static String settings(String checkpoints, String preprocessors, String defaultModel) {
        return "run(\"Diffusion Settings\", \"models_root=[] checkpoints=[" + checkpoints + "] vae=[] controlnet=["
                + MODELS + "] lora=[] preprocessors=[" + preprocessors + "] default_model=[" + defaultModel
                + "] threads=0\");\n";
    }

    @BeforeEach
    void testModels() throws Exception {
        System.setProperty("ijdiffusion.debug", "true");
        HeadlessImageJ.run("setBatchMode(true);\n" + settings(MODELS, "", "tiny-sd15.safetensors"));
    }

    static String value(String out, String key) {
        Matcher m = Pattern.compile("^" + Pattern.quote(key) + "=(.*)$", Pattern.MULTILINE).matcher(out);
        assertTrue(m.find(), "no '" + key + "=' in:\n" + out);
        return m.group(1);
    }

    @Test
    void textToImageRecordsAMacroLineThatReplaysTheImage() throws Exception {
        Path png = tmp.resolve("cat.png");
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "run(\"Text to Image\", \"prompt=[a photo of a cat] width=64 height=48 steps=3 cfg_scale=7 "
                + "sampler=[Euler a] seed=-1\");\n"
                + "id1 = getImageID(); print(\"title=\" + getTitle());\n"
                + "print(\"size=\" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices + \" bits=\" + bitDepth());\n"
                + "line = Property.get(\"macro\"); print(\"macro=\" + line);\n"
                + "info = getMetadata(\"Info\"); print(\"steps_in_info=\" + indexOf(info, \"Steps: 3, Sampler: Euler a\"));\n"
                + "run(\"Save PNG with parameters\", \"path=[" + png + "]\");\n"
                + "eval(line); id2 = getImageID();\n"
                + "d = 0; for (y = 0; y < 48; y++) for (x = 0; x < 64; x++) { selectImage(id1); a = getPixel(x, y); "
                + "selectImage(id2); b = getPixel(x, y); if (a != b) d++; }\n"
                + "print(\"replay_differing=\" + d + \" ids=\" + (id1 != id2));\n");
        String macro = value(out, "macro");
        Matcher seed = Pattern.compile("seed=(\\d+)").matcher(macro);
        assertTrue(seed.find(), macro);
        assertTrue(value(out, "title").equals("a photo of a cat (seed " + seed.group(1) + ")"), out);
        assertEquals("64x48x1 bits=24", value(out, "size"));
        assertTrue(macro.startsWith("run(\"Text to Image\", \"model=tiny-sd15.safetensors prompt=[a photo of a cat] "
                + "negative_prompt=[] width=64 height=48 steps=3 cfg_scale=7 sampler=[Euler a] seed=" + seed.group(1)
                + " schedule_type=Automatic eta=-1 batch_size=1 clip_skip=1 control_model=None "), macro);
        assertFalse(value(out, "steps_in_info").equals("-1"), "Info holds the A1111 parameters");
        assertEquals("0 ids=1", value(out, "replay_differing"), "the recorded line makes the same image");
        String params = PngFiles.readParameters(png);
        assertTrue(params.startsWith("a photo of a cat\nSteps: 3, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, Seed: " + seed.group(1)),
                params);
    }

    /**
     * A batch stack: Save PNG with parameters on slice 2 writes slice 2's parameters (its seed, seed + 1),
     * not the first image's, and Text to Image from those parameters would make that slice again; the
     * parameters travel with the slice (Duplicate of one slice keeps them); slice.label shows the seed.
     */
    @Test
    void savePngOnABatchStackWritesTheCurrentSlicesParameters() throws Exception {
        Path one = tmp.resolve("one.png");
        Path two = tmp.resolve("two.png");
        Path dup = tmp.resolve("dup.png");
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "run(\"Text to Image\", \"prompt=[a photo of a cat] width=64 height=48 steps=2 seed=40 batch_size=2\");\n"
                + "print(\"slices=\" + nSlices);\n"
                + "setSlice(2); print(\"label2=\" + getInfo(\"slice.label\"));\n"
                + "run(\"Save PNG with parameters\", \"path=[" + two + "]\");\n"
                + "setSlice(1); run(\"Save PNG with parameters\", \"path=[" + one + "]\");\n"
                + "setSlice(2); run(\"Duplicate...\", \"title=d\"); print(\"dupslices=\" + nSlices);\n"
                + "run(\"Save PNG with parameters\", \"path=[" + dup + "]\");\n");
        assertEquals("2", value(out, "slices"));
        assertEquals("seed 41", value(out, "label2"));
        assertTrue(PngFiles.readParameters(one).startsWith("a photo of a cat\nSteps: 2, Sampler: Euler a, Schedule type: "
                + "Uniform, CFG scale: 7, Seed: 40,"), PngFiles.readParameters(one));
        String p2 = PngFiles.readParameters(two);
        assertTrue(p2.startsWith("a photo of a cat\nSteps: 2, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, "
                + "Seed: 41,"), p2);
        assertFalse(p2.contains("Seed: 40"), p2);
        assertEquals("1", value(out, "dupslices"));
        String pd = PngFiles.readParameters(dup);
        assertTrue(pd.contains("Seed: 41,"), "a duplicate of slice 2 has slice 2's parameters: " + pd);
    }

    @Test
    void imageToImageOnA16BitStackKeepsSizeCalibrationAndSource() throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "newImage(\"src\", \"16-bit ramp\", 60, 52, 2); setMinAndMax(0, 40000);\n"
                + "setVoxelSize(0.5, 0.5, 1, \"um\"); before = getPixel(30, 20);\n"
                + "run(\"Image to Image\", \"prompt=[oil painting] steps=4 denoising_strength=0.5 seed=5 "
                + "slices=[all (seed+i)]\");\n"
                + "getVoxelSize(pw, ph, pd, unit);\n"
                + "print(\"out=\" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices + \" bits=\" + bitDepth() + \" \" + pw);\n"
                + "setSlice(2); print(\"label2=\" + getInfo(\"slice.label\"));\n"
                + "selectImage(\"src\"); print(\"source=\" + bitDepth() + \" \" + (getPixel(30, 20) == before));\n");
        assertEquals("60x52x2 bits=24 0.5", value(out, "out"));
        assertEquals("seed 6", value(out, "label2"), "slice i gets seed + i");
        assertEquals("16 1", value(out, "source"), "the source is unchanged");
    }

    @Test
    void controlNetUnitWithCannyOnAnOpenImage() throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "open(" + q(TESTDATA.resolve("images/bird.png")) + "); rename(\"hint\");\n"
                + "run(\"Text to Image\", \"prompt=[a bird] width=64 height=64 steps=2 seed=1 "
                + "control_model=tiny-controlnet.safetensors control_image=hint preprocessor=canny control_weight=0.8 "
                + "guidance_start=0 guidance_end=0.5 control_mode=[My prompt is more important]\");\n"
                + "print(\"info=\" + replace(getMetadata(\"Info\"), \"\\n\", \" | \"));\n");
        String info = value(out, "info");
        assertTrue(info.contains("ControlNet 0: \"Module: canny, Model: tiny-controlnet"), info);
        assertTrue(info.contains("Weight: 0.8"), info);
    }

    @Test
    void invalidInputGivesTheIntendedMessage() throws Exception {
        assertError("run(\"Image to Image\", \"prompt=x\");", "There is no image open");
        assertError("newImage(\"a\", \"RGB\", 64, 64, 1); run(\"Text to Image\", \"sampler=[Euler b]\");",
                "sampler: 'Euler b' is not a valid choice; valid: DDIM, PLMS, Euler, Euler a, LMS, DPM++ 2M, DPM++ 2M Karras, LCM, TCD");
        assertError("run(\"Text to Image\", \"prompt=x cfg=7\");", "unknown key 'cfg'");
        assertError("run(\"Text to Image\", \"model=nope.safetensors\");", "model: 'nope.safetensors' is not a valid choice");
        assertError("run(\"Text to Image\", \"prompt=x width=60\");", "width 60 is not a multiple of 8; use 56 or 64");
        assertError("newImage(\"a\", \"RGB\", 64, 64, 1); run(\"Selection to Inpaint Mask\");", "needs an area selection");
        assertError("newImage(\"a\", \"RGB\", 64, 64, 1); makeLine(1, 1, 30, 30); run(\"Selection to Inpaint Mask\");",
                "has no area");
        assertError("newImage(\"a\", \"RGB\", 64, 64, 1); run(\"Depth\");", "Depth needs a depth network");
        assertError("newImage(\"a\", \"RGB\", 64, 64, 1); run(\"Render From Points\");", "has no keypoints");
        assertError("run(\"Import OpenPose JSON\", \"path=[" + tmp.resolve("none.json") + "]\");", "does not exist");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertError(settings(empty.toString(), "", "v1-5-pruned-emaonly.safetensors") + "run(\"Text to Image\", \"prompt=x\");",
                "The checkpoint 'v1-5-pruned-emaonly.safetensors' was not found: expected the file "
                        + "v1-5-pruned-emaonly.safetensors in " + empty);
    }

    private static void assertError(String macro, String message) throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\n" + macro + "\nprint(\"NOT STOPPED\");\n");
        assertTrue(out.contains(message), "expected '" + message + "' in:\n" + out);
        assertTrue(out.contains("Macro Error"), "a macro error:\n" + out);
        assertFalse(out.contains("NOT STOPPED"), "the macro stops at the error:\n" + out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
    }

    @Test
    void preprocessAndPoseRoundTrip() throws Exception {
        Path json = tmp.resolve("pose.json");
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "open(" + q(TESTDATA.resolve("images/bird.png")) + "); w = getWidth();\n"
                + "run(\"Canny\", \"low_threshold=100 high_threshold=200\");\n"
                + "print(\"canny=\" + (getWidth() == w) + \" \" + bitDepth() + \" \" + getTitle());\n"
                + "open(" + q(TESTDATA.resolve("images/human.png")) + ");\n"
                + "run(\"OpenPose\", \"preprocessor_model=Default\");\n"
                + "n = Overlay.size; Overlay.activateSelection(0); print(\"points=\" + n + \" first=\" + Roi.getName "
                + "+ \" group=\" + Roi.getGroup);\n"
                + "run(\"Select None\");\n"
                + "run(\"Export OpenPose JSON\", \"path=[" + json + "]\");\n"
                + "run(\"Render From Points\"); print(\"rendered=\" + getTitle() + \" \" + Overlay.size);\n"
                + "run(\"Import OpenPose JSON\", \"path=[" + json + "]\"); print(\"imported=\" + Overlay.size);\n");
        assertEquals("1 24 canny of bird.png", value(out, "canny"));
        Matcher m = Pattern.compile("points=(\\d+) first=(\\S+) group=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        int n = Integer.parseInt(m.group(1));
        assertTrue(n >= 10, "keypoints on the map: " + n);
        assertTrue(m.group(2).matches("person1/[a-z_]+"), m.group(2));
        assertEquals("1", m.group(3));
        assertTrue(Files.readString(json).contains("pose_keypoints_2d"));
        assertTrue(value(out, "rendered").endsWith(" " + n), out);
        assertEquals(String.valueOf(n), value(out, "imported"));
    }

    @Test
    void posePointsAreImagePixelsOnA640x427Image() throws Exception {
        Path json = tmp.resolve("pose640.json");
        Path json2 = tmp.resolve("pose640-again.json");
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "open(" + q(TESTDATA.resolve("images/ski.jpg")) + "); makeRectangle(0, 99, 712, 475); run(\"Crop\");\n"
                + "run(\"Size...\", \"width=640 height=427 interpolation=Bilinear\");\n"
                + "run(\"OpenPose\", \"preprocessor_model=Default\");\n"
                + "print(\"map=\" + getWidth() + \"x\" + getHeight());\n"
                + "maxX = 0; maxY = 0; for (i = 0; i < Overlay.size; i++) { Overlay.activateSelection(i); "
                + "getSelectionCoordinates(xs, ys); maxX = maxOf(maxX, xs[0]); maxY = maxOf(maxY, ys[0]); }\n"
                + "run(\"Select None\"); print(\"points=\" + Overlay.size + \" max=\" + maxX + \",\" + maxY);\n"
                + "run(\"Export OpenPose JSON\", \"path=[" + json + "]\");\n"
                + "run(\"Render From Points\"); print(\"rendered=\" + getWidth() + \"x\" + getHeight());\n"
                + "run(\"Export OpenPose JSON\", \"path=[" + json2 + "]\");\n");
        assertEquals("640x427", value(out, "map"));
        assertEquals("640x427", value(out, "rendered"));
        org.ijdiffusion.preprocessors.pose.Pose pose =
                org.ijdiffusion.preprocessors.pose.PoseJson.read(Files.readString(json));
        assertEquals(640, pose.canvasWidth());
        assertEquals(427, pose.canvasHeight());
        // the same people as the detector finds on that picture, in its pixels
        double maxX = 0;
        for (org.ijdiffusion.preprocessors.pose.Person p : pose.people()) {
            for (org.ijdiffusion.preprocessors.pose.Keypoint k : p.keypoints()) {
                if (k != null) {
                    maxX = Math.max(maxX, k.x());
                    assertEquals(1.0, k.score());
                }
            }
        }
        System.out.println("ImageJ 640x427: " + value(out, "points") + "; JSON max x " + maxX);
        assertEquals(Double.parseDouble(value(out, "points").replaceAll(".* max=([^,]+),.*", "$1")), maxX, 1e-3);
        // Render From Points keeps the points where they were: exporting again gives the same JSON
        assertEquals(pose, org.ijdiffusion.preprocessors.pose.PoseJson.read(Files.readString(json2)));
    }

    @Test
    void selectionToMaskAndModelInfo() throws Exception {
        String out = HeadlessImageJ.run("setBatchMode(true);\n"
                + "newImage(\"img\", \"RGB\", 64, 48, 1); makeRectangle(8, 4, 20, 10);\n"
                + "run(\"Selection to Inpaint Mask\");\n"
                + "getHistogram(v, c, 256); print(\"mask=\" + bitDepth() + \" \" + c[255] + \" \" + c[0]);\n"
                + "run(\"Model Info\", \"model=tiny-sd15.safetensors\");\n");
        assertEquals("8 200 " + (64 * 48 - 200), value(out, "mask"));
        assertTrue(out.contains("Kind:"), out);
        assertTrue(out.contains("Model hash:"), out);
    }
}
