package org.ijdiffusion.plugin.ij;

import static org.ijdiffusion.plugin.ij.HeadlessImageJ.q;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.MODELS;
import static org.ijdiffusion.plugin.ij.MacroCommandsTest.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins > Diffusion > Batch... through real headless macros (ij1-patcher, as Fiji --headless) on the
 * tiny checkpoint: img2img and inpainting over a folder, resume, masks from files, refusals, Esc.
 */
class BatchFolderMacroTest {
    @TempDir
    Path tmp;
    Path in;
    Path out;

    @BeforeEach
    void folders() throws Exception {
        HeadlessImageJ.run("setBatchMode(true);\n" + settings(MODELS, "", "tiny-sd15.safetensors"));
        in = Files.createDirectories(tmp.resolve("in"));
        out = tmp.resolve("out");
    }

    static BufferedImage picture(int w, int h, int salt) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 3 + salt) & 0xff) << 16 | ((y * 5 + salt) & 0xff) << 8 | ((x ^ y) & 0xff));
            }
        }
        return img;
    }

    static String batch(String options) throws Exception {
        return HeadlessImageJ.run("setBatchMode(true);\nrun(\"Batch...\", " + q(options) + ");\nprint(\"END\");\n");
    }

    /** Every file of a folder with its bytes. */
    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    static int[] pixels(Path png) throws Exception {
        BufferedImage b = ImageIO.read(png.toFile());
        return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    }

    @Test
    void img2imgOverAFolderEqualsGenerateAloneAndAResumeMakesOnlyWhatIsMissing() throws Exception {
        ImageIO.write(picture(64, 64, 0), "png", in.resolve("a.png").toFile());
        ImageIO.write(picture(61, 50, 40), "png", in.resolve("b.png").toFile());
        ImageIO.write(picture(48, 64, 90), "png", in.resolve("c.png").toFile());
        Map<String, byte[]> inputs = files(in);
        String options = "input=[" + in + "] output=[" + out + "] mode=img2img prompt=[an oil painting] steps=3 "
                + "seed=42 denoising_strength=0.6";
        String log = batch(options);
        assertTrue(log.contains("Diffusion Batch: 3 made, 0 already done, 0 failed"), log);
        assertEquals(new TreeSet<>(List.of("a.png", "a.png.json", "b.png", "b.png.json", "c.png", "c.png.json")),
                files(out).keySet());
        assertEquals(61, ImageIO.read(out.resolve("b.png").toFile()).getWidth(), "the source's size");
        assertEquals(50, ImageIO.read(out.resolve("b.png").toFile()).getHeight(), "the source's size");
        assertTrue(Files.readString(out.resolve("c.png.json")).contains("\"seed\": 44"), "image i gets seed + i");
        Map<String, byte[]> after = files(in);
        inputs.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " is unchanged"));
        // the same job alone through Image to Image, bit for bit
        Path ref = tmp.resolve("ref-a.png");
        HeadlessImageJ.run("setBatchMode(true);\nopen(" + q(in.resolve("a.png")) + ");\n"
                + "run(\"Image to Image\", \"prompt=[an oil painting] steps=3 seed=42 denoising_strength=0.6\");\n"
                + "run(\"Save PNG with parameters\", \"path=[" + ref + "]\");\n");
        assertArrayEquals(pixels(ref), pixels(out.resolve("a.png")), "a.png equals Image to Image on a.png");
        assertEquals(PngFiles.readParameters(ref), PngFiles.readParameters(out.resolve("a.png")), "the same parameters");

        Map<String, byte[]> first = files(out);
        log = batch(options);
        assertTrue(log.contains("0 made, 3 already done, 0 failed"), log);
        Map<String, byte[]> second = files(out);
        first.forEach((k, v) -> assertArrayEquals(v, second.get(k), k + " untouched by the rerun"));

        // as a kill between the image's rename and its record's leaves it: kept, not made again
        Files.move(out.resolve("b.png.json"), out.resolve(".b.png.json.pending"));
        Files.delete(out.resolve("a.png.json")); // a record lost: the image cannot be proved complete
        Files.delete(out.resolve("c.png"));
        log = batch(options);
        assertTrue(log.contains("2 made, 1 already done, 0 failed"), log);
        Map<String, byte[]> third = files(out);
        assertEquals(first.keySet(), third.keySet(), "the pending record became b's record, nothing else left");
        for (String k : List.of("a.png", "b.png", "b.png.json", "c.png")) { // a's and c's records: new seconds
            assertArrayEquals(first.get(k), third.get(k), k + ": kept or made again, the same bytes");
        }

        log = batch(options.replace("seed=42", "seed=43"));
        assertTrue(log.contains("3 made, 0 already done"), "another seed is another job: " + log);
    }

    @Test
    void inpaintTheSameSelectionInEveryImage() throws Exception {
        ImageIO.write(picture(64, 64, 7), "png", in.resolve("one.png").toFile());
        ImageIO.write(picture(72, 56, 70), "png", in.resolve("two.png").toFile());
        String log = HeadlessImageJ.run("setBatchMode(true);\nnewImage(\"roi\", \"RGB\", 64, 64, 1);\n"
                + "makeRectangle(20, 16, 16, 12);\nrun(\"Batch...\", " + q("input=[" + in + "] output=[" + out
                + "] mode=inpaint mask_source=Selection prompt=[a red ball] steps=3 seed=7 denoising_strength=1 "
                + "mask_blur=0 inpaint_area=[Only masked] padding=8 working_size=64") + ");\n");
        assertTrue(log.contains("2 made, 0 already done, 0 failed"), log);
        for (String name : List.of("one.png", "two.png")) {
            int[] a = pixels(in.resolve(name));
            int[] b = pixels(out.resolve(name));
            int w = ImageIO.read(in.resolve(name).toFile()).getWidth();
            int outside = 0;
            int inside = 0;
            for (int i = 0; i < a.length; i++) {
                int x = i % w;
                int y = i / w;
                boolean in = x >= 20 && x < 36 && y >= 16 && y < 28;
                if (a[i] != b[i]) {
                    if (in) {
                        inside++;
                    } else {
                        outside++;
                    }
                }
            }
            assertEquals(0, outside, name + ": outside the selection every pixel is the source's");
            assertTrue(inside > 0, name + ": the selection is repainted");
        }
    }

    @Test
    void masksFromMatchingFilesAndAnImageWithoutOneIsReportedNotFatal() throws Exception {
        ImageIO.write(picture(64, 64, 1), "png", in.resolve("p1.png").toFile());
        ImageIO.write(picture(64, 64, 2), "png", in.resolve("p2.png").toFile());
        ImageIO.write(picture(64, 64, 3), "png", in.resolve("p3.png").toFile());
        BufferedImage mask = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        ImageIO.write(mask, "png", in.resolve("p1_mask.png").toFile());
        Path masks = Files.createDirectories(tmp.resolve("masks"));
        ImageIO.write(mask, "png", masks.resolve("p2.png").toFile());
        ImageIO.write(mask, "png", masks.resolve("p3_mask.png").toFile());
        ImageIO.write(mask, "png", masks.resolve("p1.png").toFile());
        String common = "output=[" + out + "] mode=inpaint mask_source=[Mask files] prompt=[x] steps=2 seed=3 "
                + "denoising_strength=1 mask_blur=0";
        String log = batch("input=[" + in + "] " + common);
        assertTrue(log.contains("p2.png failed, skipped: no mask in"), log);
        assertTrue(log.contains("1 made, 0 already done, 2 failed"), "p1 from p1_mask.png beside it; " + log);
        assertFalse(Files.exists(out.resolve("p1_mask.png")), "a mask file is not an input");
        Path out2 = tmp.resolve("out2");
        log = batch("input=[" + in + "] mask_folder=[" + masks + "] " + common.replace(out.toString(), out2.toString()));
        assertTrue(log.contains("3 made, 0 already done, 0 failed"), "p1, p2: same name, p3: _mask in mask_folder; " + log);
        assertFalse(Files.exists(out2.resolve("p1_mask.png")), "a _mask file is never an input of mask files");
        int[] src = pixels(in.resolve("p2.png"));
        int[] res = pixels(out2.resolve("p2.png"));
        assertEquals(src[63 * 64 + 63], res[63 * 64 + 63], "outside the mask file's area: the source");
    }

    @Test
    void theOutputFolderCannotBeTheInputFolder() throws Exception {
        ImageIO.write(picture(64, 64, 0), "png", in.resolve("a.png").toFile());
        String log = batch("input=[" + in + "] output=[" + in + "] mode=img2img prompt=x steps=2");
        assertTrue(log.contains("output must be another folder than input"), log);
        assertFalse(log.contains("END"), "the macro stops at the error");
        assertEquals(new TreeSet<>(List.of("a.png")), files(in).keySet(), "nothing written beside the inputs");
    }

    @Test
    void escStopsAfterTheImagesAlreadySavedAndARerunCompletesTheSet() throws Exception {
        for (int i = 0; i < 4; i++) {
            ImageIO.write(picture(64, 64, 30 * i), "png", in.resolve("s" + i + ".png").toFile());
        }
        String options = "input=[" + in + "] output=[" + out + "] mode=img2img prompt=[x] steps=12 seed=9 "
                + "denoising_strength=1";
        ClassLoader ij = HeadlessImageJ.env().getClassLoader();
        Thread esc = new Thread(() -> {
            try {
                while (!Files.exists(out.resolve("s0.png.json"))) {
                    Thread.sleep(20);
                }
                ij.loadClass("ij.IJ").getMethod("setKeyDown", int.class).invoke(null, java.awt.event.KeyEvent.VK_ESCAPE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        esc.setDaemon(true);
        esc.start();
        String log = batch(options);
        esc.join(1000);
        assertTrue(log.contains("stopped (Esc)"), log);
        Map<String, byte[]> kept = files(out);
        List<String> images = new ArrayList<>(kept.keySet().stream().filter(n -> n.endsWith(".png")).toList());
        assertTrue(images.size() >= 1 && images.size() < 4, "stopped early: " + kept.keySet());
        for (String n : kept.keySet()) {
            assertTrue(n.endsWith(".png") ? kept.containsKey(n + ".json") : n.endsWith(".png.json")
                    && kept.containsKey(n.substring(0, n.length() - 5)), "whole results only: " + kept.keySet());
        }
        log = batch(options);
        assertTrue(log.contains((4 - images.size()) + " made, " + images.size() + " already done, 0 failed"), log);
        Map<String, byte[]> all = files(out);
        assertEquals(8, all.size(), all.keySet().toString());
        kept.forEach((k, v) -> assertArrayEquals(v, all.get(k), k + " kept as it was"));
    }
}
