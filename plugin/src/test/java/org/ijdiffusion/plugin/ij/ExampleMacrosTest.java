package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ijdiffusion.plugin.io.PngFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch macro of examples/ runs headless on a folder with the tiny checkpoint. */
class ExampleMacrosTest {
    @TempDir
    Path tmp;

    @Test
    void batchImg2ImgOverAFolder() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        for (String name : new String[] {"a.png", "b.png"}) {
            BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
            img.createGraphics().drawImage(ImageIO.read(MacroCommandsTest.TESTDATA.resolve("images/bird.png").toFile()),
                    0, 0, 40, 36, null);
            ImageIO.write(img, "png", in.resolve(name).toFile());
        }
        Files.writeString(in.resolve("notes.txt"), "not an image");
        String macro = Files.readString(MacroCommandsTest.TESTDATA.getParent().resolve("examples/batch-img2img.ijm"))
                .replace("steps=20", "steps=2");
        String model = MacroCommandsTest.TESTDATA.resolve("models/tiny-sd15.safetensors").toString();
        String output = HeadlessImageJ.run("args = \"in=" + in + " out=" + out + " model=" + model + "\";\n"
                + macro.replace("args = getArgument();", ""));
        assertTrue(output.contains("batch-img2img: 2 images written to"), output);
        for (String name : new String[] {"a", "b"}) {
            Path png = out.resolve(name + "-img2img.png");
            assertEquals(40, ImageIO.read(png.toFile()).getWidth(), "brought back to the source size");
            String params = PngFiles.readParameters(png);
            assertTrue(params.startsWith("an oil painting, impasto, rich colours\nNegative prompt: blurry\nSteps: 2"), params);
        }
        assertTrue(PngFiles.readParameters(out.resolve("b-img2img.png")).contains("Seed: 1001"));
    }
}
