package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.plugin.io.PngFiles;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.mask.PasteBack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --init --mask}: the edge cases of a mask, in-process. */
class InpaintCommandTest {
    @TempDir
    static Path dir;
    static Path photo;
    static RgbImage source;

    @BeforeAll
    static void files() throws Exception {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
        source = PasteBack.resize(ImageFiles.read(InspectCommandTest.model("../images/room.png")), 141, 103);
        photo = dir.resolve("photo.png");
        ImageFiles.write(source, photo);
    }

    private static Path mask(String name, int w, int h, int x, int y, int mw, int mh) throws Exception {
        Path p = dir.resolve(name);
        ImageFiles.write(Mask.rectangle(w, h, x, y, mw, mh).toImage(), p);
        return p;
    }

    private static InspectCommandTest.Result generate(Path mask, Path out, String... extra) {
        String[] base = {"generate", "--model", InspectCommandTest.model("tiny-sd15.safetensors").toString(),
            "--prompt", "a cat", "--steps", "2", "--sampler", "ddim", "--seed", "3", "--init", photo.toString(),
            "--mask", mask.toString(), "--inpaint-area", "masked", "--working-size", "64", "--out", out.toString()};
        // an option in extra replaces the base one (a repeated option is refused)
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(base[0]));
        java.util.List<String> given = java.util.Arrays.asList(extra);
        for (int i = 1; i < base.length; i += 2) {
            if (!given.contains(base[i])) {
                all.add(base[i]);
                all.add(base[i + 1]);
            }
        }
        all.addAll(given);
        return InspectCommandTest.run(all.toArray(new String[0]));
    }

    @Test
    void allBlackMaskHasNothingToInpaint() throws Exception {
        InspectCommandTest.Result r = generate(mask("black.png", 141, 103, 0, 0, 0, 0), dir.resolve("x.png"));
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("nothing to inpaint"), r.err());
        assertTrue(Files.notExists(dir.resolve("x.png")));
    }

    @Test
    void maskOfAnotherSizeIsRejected() throws Exception {
        InspectCommandTest.Result r = generate(mask("small.png", 64, 64, 0, 0, 8, 8), dir.resolve("x.png"));
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("the mask is 64x64 but the image is 141x103"), r.err());
    }

    @Test
    void badOptionsAreOneLineUsageErrors() throws Exception {
        Path m = mask("m.png", 141, 103, 10, 10, 8, 8);
        assertEquals(Main.BAD_INPUT, generate(m, dir.resolve("x.png"), "--masked-content", "blur").code());
        assertEquals(Main.BAD_INPUT, generate(m, dir.resolve("x.png"), "--width", "512").code());
        assertEquals(Main.BAD_INPUT, generate(m, dir.resolve("x.png"), "--working-size", "100").code());
        InspectCommandTest.Result missing = generate(dir.resolve("no-such-mask.png"), dir.resolve("x.png"));
        assertEquals(Main.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("--mask: Image file not found"), missing.err());
        InspectCommandTest.Result over = generate(m, m);
        assertEquals(Main.BAD_INPUT, over.code());
        assertTrue(over.err().contains("is the --mask file"), over.err());
        InspectCommandTest.Result noMask = InspectCommandTest.run("generate", "--model", "m", "--prompt", "p",
                "--out", "o.png", "--mask-blur", "8");
        assertEquals(Main.BAD_INPUT, noMask.code());
        assertTrue(noMask.err().contains("--mask-blur needs --mask"), noMask.err());
    }

    /** All white, whole picture: every pixel may change; the PNG has the source's odd size and the keys. */
    @Test
    void allWhiteMaskWholePicture() throws Exception {
        Path out = dir.resolve("white-out.png");
        InspectCommandTest.Result r = generate(mask("white.png", 141, 103, 0, 0, 141, 103), out,
                "--inpaint-area", "whole", "--masked-content", "latent_nothing", "--strength", "0.8");
        assertEquals(Main.OK, r.code(), r.err());
        RgbImage img = ImageFiles.read(out);
        assertEquals(141, img.width());
        assertEquals(103, img.height());
        String info = PngFiles.readParameters(out);
        // whole picture, image short side 103 > --working-size 64: generated at 88x64, returned at 141x103
        assertTrue(info.contains("Size: 88x64") && info.contains("Inpaint area: Whole picture")
                && info.contains("Masked content: latent nothing"), info);
    }

    /** A mask in a corner, with a ControlNet unit: only the grown+blurred mask's pixels change. */
    @Test
    void cornerMaskWithControlNet() throws Exception {
        Path out = dir.resolve("corner-out.png");
        InspectCommandTest.Result r = generate(mask("corner.png", 141, 103, 121, 0, 20, 16), out,
                "--mask-blur", "2", "--mask-grow", "1", "--padding", "8", "--soft-mask", "--color-match",
                "--control", InspectCommandTest.model("tiny-controlnet.safetensors").toString(),
                "--control-image", photo.toString(), "--preprocessor", "canny");
        assertEquals(Main.OK, r.code(), r.err());
        RgbImage img = ImageFiles.read(out);
        String info = PngFiles.readParameters(out);
        assertTrue(info.contains("ControlNet 0: \"Module: canny") && info.contains("Mask blur: 2, Mask grow: 1, "
                + "Inpaint area: Only masked, Masked area padding: 8, Masked content: original, "
                + "Soft inpainting enabled: True, Color match: True"), info);
        int changed = 0;
        for (int y = 0; y < 103; y++) {
            for (int x = 0; x < 141; x++) {
                boolean near = x >= 121 - 1 - 8 && y < 16 + 1 + 8; // grow 1 + blur 2 reaches at most 1 + 6 px
                if (!near) {
                    assertEquals(source.rgb(x, y), img.rgb(x, y), x + "," + y);
                } else if (source.rgb(x, y) != img.rgb(x, y)) {
                    changed++;
                }
            }
        }
        assertTrue(changed > 100, "changed " + changed);
    }
}
