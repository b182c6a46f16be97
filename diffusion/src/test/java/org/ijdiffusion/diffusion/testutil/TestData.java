package org.ijdiffusion.diffusion.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the golden test data lives (the repository's testdata/ folder). */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        String p = System.getProperty("testdata.dir");
        Path root = p != null ? Paths.get(p) : Paths.get("..", "testdata");
        if (!Files.isDirectory(root)) {
            root = Paths.get("testdata");
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("testdata folder not found (looked at " + p + ")");
        }
        return root.toAbsolutePath().normalize();
    }

    public static Path models() {
        return root().resolve("models");
    }

    public static Path golden() {
        return root().resolve("golden");
    }

    public static Path model(String name) {
        return models().resolve(name);
    }
}
