package org.ijdiffusion.preprocessors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the repository's testdata folder (surefire sets testdata.dir). */
public final class TestFiles {
    private TestFiles() {
    }

    public static Path dir() {
        String p = System.getProperty("testdata.dir");
        Path d = p != null && !p.isBlank() ? Paths.get(p) : Paths.get("..", "testdata");
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("testdata folder not found: " + d.toAbsolutePath());
        }
        return d;
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    public static RgbImage image(String relative) throws IOException {
        return ImageFiles.read(file(relative));
    }

    /** Number of pixels whose RGB differs. */
    public static int differingPixels(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError("sizes differ: " + a.width() + "x" + a.height() + " vs "
                    + b.width() + "x" + b.height());
        }
        int n = 0;
        for (int i = 0; i < a.argb().length; i++) {
            if (((a.argb()[i] ^ b.argb()[i]) & 0xFFFFFF) != 0) {
                n++;
            }
        }
        return n;
    }

    /** A deterministic noisy photo-sized test image. */
    public static RgbImage noise(int w, int h, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = ((x / 37 + y / 29) % 2) * 120;
                px[y * w + x] = 0xFF000000 | ((base + r.nextInt(60)) << 16) | ((x * 255 / w) << 8) | (y * 255 / h);
            }
        }
        return new RgbImage(w, h, px);
    }
}
