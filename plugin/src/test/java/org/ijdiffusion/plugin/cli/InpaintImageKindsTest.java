package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.nio.file.Path;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.plugin.io.ImageKinds;
import org.ijdiffusion.plugin.io.StoredImage;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mask exactness of {@code generate --init --mask} for every kind of source image: outside the
 * (grown and blurred) mask the result holds the source's own stored samples, in the source's kind
 * (16-bit stays 16-bit, grey stays grey, alpha is kept; a palette becomes RGB(A)).
 */
class InpaintImageKindsTest {
    private static final int W = 48;
    private static final int H = 40;
    /** The mask rectangle, and how far mask blur 2 can reach beyond it (3 sigma of 2 px, as PasteBack's blur). */
    private static final int MX = 20;
    private static final int MY = 12;
    private static final int MW = 14;
    private static final int MH = 12;
    private static final int REACH = 7;

    @TempDir
    static Path dir;
    static Path mask;

    @BeforeAll
    static void files() throws Exception {
        System.setProperty("ijdiffusion.cache.dir", dir.resolve("cache").toString());
        mask = dir.resolve("mask.png");
        ImageFiles.write(Mask.rectangle(W, H, MX, MY, MW, MH).toImage(), mask);
    }

    private static InspectCommandTest.Result inpaint(Path init, Path out) {
        return InspectCommandTest.run("generate", "--model", InspectCommandTest.model("tiny-sd15.safetensors").toString(),
                "--prompt", "a cat", "--steps", "1", "--sampler", "ddim", "--seed", "5", "--init", init.toString(),
                "--mask", mask.toString(), "--mask-blur", "2", "--inpaint-area", "masked", "--padding", "8",
                "--working-size", "64", "--masked-content", "latent_noise", "--strength", "1", "--out", out.toString());
    }

    @Test
    void everyKindKeepsItsStoredSamplesOutsideTheMask() throws Exception {
        StringBuilder report = new StringBuilder();
        for (ImageKinds k : ImageKinds.values()) {
            Path init = dir.resolve(k + (k.name().endsWith("JPEG") ? ".jpg" : ".png"));
            Raster source = k.write(init, W, H);
            Path out = dir.resolve(k + "-out.png");
            InspectCommandTest.Result r = inpaint(init, out);
            assertEquals(Main.OK, r.code(), k + ": " + r.err());
            StoredImage result = ImageInput.read(out);
            assertEquals(k.readsAs, result.describe(), k + ": the result keeps the source's kind");
            int kept = 0;
            int changed = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean near = x >= MX - REACH && x < MX + MW + REACH && y >= MY - REACH && y < MY + MH + REACH;
                    for (int b = 0; b < result.kind().bands(); b++) {
                        int s = source.getSample(x, y, b);
                        int v = result.sample(x, y, b);
                        if (!near) {
                            if (s != v) {
                                assertEquals(s, v, k + ": sample " + x + "," + y + " band " + b + " outside the mask");
                            }
                            kept++;
                        } else if (s != v) {
                            changed++;
                        }
                    }
                }
            }
            assertTrue(changed > MW * MH / 2, k + ": only " + changed + " samples changed inside the mask");
            report.append(String.format("  %-14s -> %-18s %6d samples kept exactly, %5d changed near the mask%n", k,
                    result.describe(), kept, changed));
        }
        System.out.print("inpaint of every image kind:\n" + report);
    }

    @Test
    void aCmykJpegIsRefusedNotGuessed() throws Exception {
        Path cmyk = dir.resolve("print.jpg");
        ImageKinds.writeCmykJpeg(cmyk, W, H);
        InspectCommandTest.Result r = inpaint(cmyk, dir.resolve("cmyk-out.png"));
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--init: " + cmyk + " is a CMYK image"), r.err());
        InspectCommandTest.Result pre = InspectCommandTest.run("preprocess", "canny", "--in", cmyk.toString(), "--out",
                dir.resolve("edges.png").toString());
        assertEquals(Main.BAD_INPUT, pre.code());
        assertTrue(pre.err().contains("is a CMYK image"), pre.err());
    }
}
