package org.ijdiffusion.plugin.ij;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-run unpack line: shown while PyTorch's natives are still to be unpacked, not once they are. */
class EngineStartTest {
    @TempDir
    Path cache;

    @AfterEach
    void restore() {
        System.clearProperty("ENGINE_CACHE_DIR");
    }

    @Test
    void announcesTheUnpackUntilTheNativesAreThere() throws Exception {
        System.setProperty("ENGINE_CACHE_DIR", cache.toString());
        String line = EngineStart.announce("Text to Image");
        assertNotNull(line, "an empty engine cache: the unpack is still to come");
        assertTrue(line.startsWith("Text to Image: first start: unpacking PyTorch ("), line);
        assertTrue(line.matches(".*\\(\\d+ MB, once\\) into " + java.util.regex.Pattern.quote(cache.resolve("pytorch").toString()) + ".*"), line);

        Properties p = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            p.load(in);
        }
        Path dir = cache.resolve("pytorch").resolve(p.getProperty("version") + "-" + p.getProperty("flavor") + "-"
                + p.getProperty("classifier"));
        Files.createDirectories(dir);
        for (String lib : p.getProperty("libraries").split(",")) {
            Files.writeString(dir.resolve(lib.trim()), "x");
        }
        assertNull(EngineStart.announce("Text to Image"), "nothing said once the natives are unpacked");
    }
}
