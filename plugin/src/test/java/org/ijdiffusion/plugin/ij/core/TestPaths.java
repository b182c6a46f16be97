package org.ijdiffusion.plugin.ij.core;

import java.nio.file.Path;

/** Where the repository's testdata/ is (the build passes it; else relative to the module). */
final class TestPaths {
    private TestPaths() {
    }

    static Path testdata() {
        String p = System.getProperty("testdata.dir");
        return (p != null && !p.isBlank() ? Path.of(p) : Path.of("..", "testdata")).toAbsolutePath();
    }
}
