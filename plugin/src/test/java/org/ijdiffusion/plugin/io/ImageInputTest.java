package org.ijdiffusion.plugin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.ijdiffusion.preprocessors.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one image reader: every stored kind comes back as stored; limits and CMYK are refused clearly. */
class ImageInputTest {
    @TempDir
    Path dir;

    static void assertSamples(Raster expected, StoredImage got, String what) {
        assertEquals(expected.getWidth(), got.width(), what);
        assertEquals(expected.getHeight(), got.height(), what);
        assertEquals(expected.getNumBands(), got.kind().bands(), what);
        for (int y = 0; y < got.height(); y++) {
            for (int x = 0; x < got.width(); x++) {
                for (int b = 0; b < got.kind().bands(); b++) {
                    int e = expected.getSample(x, y, b);
                    if (e != got.sample(x, y, b)) {
                        assertEquals(e, got.sample(x, y, b), what + " sample " + x + "," + y + " band " + b);
                    }
                }
            }
        }
    }

    @Test
    void everyKindReadsAsStored() throws Exception {
        for (ImageKinds k : ImageKinds.values()) {
            Path f = dir.resolve(k + (k.name().endsWith("JPEG") ? ".jpg" : ".png"));
            Raster expected = k.write(f, 37, 23);
            StoredImage img = ImageInput.read(f);
            assertEquals(k.readsAs, img.describe(), k.toString());
            assertSamples(expected, img, k.toString());
        }
    }

    /** ImageIO's getRGB turns grey 100 into 168 (linear grey to sRGB); the reader keeps 100. */
    @Test
    void greyLevelsAreNotGammaConverted() throws Exception {
        Path f = dir.resolve("grey.png");
        Raster expected = ImageKinds.GREY8.write(f, 16, 16);
        int v = expected.getSample(3, 5, 0);
        int viaGetRgb = ImageIO.read(f.toFile()).getRGB(3, 5) & 0xff;
        RgbImage rgb = ImageInput.readRgb(f);
        assertEquals(v * 0x10101, rgb.rgb(3, 5));
        System.out.println("grey " + v + ": ImageIO getRGB gives " + viaGetRgb + ", the reader " + (rgb.rgb(3, 5) & 0xff));
        // 16 bits: v/257 rounded for the engine
        Path f16 = dir.resolve("grey16.png");
        Raster e16 = ImageKinds.GREY16.write(f16, 16, 16);
        assertEquals(Math.round(e16.getSample(7, 2, 0) / 257.0), ImageInput.readRgb(f16).rgb(7, 2) & 0xff);
    }

    @Test
    void cmykJpegIsRefusedWithAClearMessage() throws Exception {
        Path f = dir.resolve("print.jpg");
        ImageKinds.writeCmykJpeg(f, 24, 16);
        IOException e = assertThrows(IOException.class, () -> ImageInput.read(f));
        assertTrue(e.getMessage().contains("is a CMYK image") && e.getMessage().contains("Convert it to RGB first"),
                e.getMessage());
    }

    /** A 30000x30000 PNG header with no pixel data: refused from the header, before any decoding. */
    @Test
    void theSizeIsCheckedFromTheHeaderFirst() throws Exception {
        Path f = dir.resolve("bomb.png");
        Files.write(f, pngHeaderOnly(30000, 30000));
        IOException e = assertThrows(IOException.class, () -> ImageInput.read(f));
        assertTrue(e.getMessage().contains("30000x30000 = 900.0 megapixels, above the limit of 100.0 megapixels")
                && e.getMessage().contains("-D" + ImageInput.MAX_PIXELS_PROPERTY + "=N"), e.getMessage());
        assertEquals(30000, ImageInput.dimensions(f)[0]);
        // with the limit raised the header passes and decoding then fails (there is no pixel data)
        IOException decode = assertThrows(IOException.class, () -> ImageInput.read(f, 1_000_000_000L));
        assertTrue(decode.getMessage().contains("cannot decode"), decode.getMessage());
        System.setProperty(ImageInput.MAX_PIXELS_PROPERTY, "100");
        try {
            Path small = dir.resolve("small.png");
            ImageKinds.RGB8.write(small, 11, 10);
            assertTrue(assertThrows(IOException.class, () -> ImageInput.read(small)).getMessage()
                    .contains("11x10 = 0.0 megapixels, above the limit of 0.0 megapixels"));
        } finally {
            System.clearProperty(ImageInput.MAX_PIXELS_PROPERTY);
        }
    }

    /** The same through the command line: exit 2, one line naming the size and the property. */
    @Test
    void aDecompressionBombIsBadInputOnTheCommandLine() throws Exception {
        Path f = dir.resolve("bomb.png");
        Files.write(f, pngHeaderOnly(30000, 30000));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = org.ijdiffusion.plugin.cli.Main.run(new String[] {"preprocess", "canny", "--in", f.toString(),
            "--out", dir.resolve("edges.png").toString()}, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(org.ijdiffusion.plugin.cli.Main.BAD_INPUT, code, e);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("30000x30000 = 900.0 megapixels") && e.contains(ImageInput.MAX_PIXELS_PROPERTY), e);
        assertTrue(Files.notExists(dir.resolve("edges.png")));
    }

    @Test
    void missingFoldersAndNonImagesAreOneLineErrors() throws Exception {
        assertTrue(assertThrows(IOException.class, () -> ImageInput.read(dir.resolve("none.png"))).getMessage()
                .startsWith("Image file not found"));
        assertTrue(assertThrows(IOException.class, () -> ImageInput.read(dir)).getMessage()
                .startsWith("Not a regular file"));
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        assertTrue(assertThrows(IOException.class, () -> ImageInput.read(text)).getMessage()
                .startsWith("Not a readable image"));
    }

    /** A PNG signature, an IHDR chunk (8-bit RGB of the given size) and IEND: a header without pixels. */
    static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(ihdr);
        i.writeInt(w);
        i.writeInt(h);
        i.write(new byte[] {8, 2, 0, 0, 0});
        chunk(d, "IHDR", ihdr.toByteArray());
        chunk(d, "IEND", new byte[0]);
        return b.toByteArray();
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
