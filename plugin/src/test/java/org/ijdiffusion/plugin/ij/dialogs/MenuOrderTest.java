package org.ijdiffusion.plugin.ij.dialogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** plugins.config puts the Diffusion menu in the intended order (other entries may sit between these). */
class MenuOrderTest {
    @Test
    void generationFirstThenControlNetToolsThenSettingsLast() throws Exception {
        List<String> entries = new ArrayList<>();
        try (InputStream in = MenuOrderTest.class.getResourceAsStream("/plugins.config")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("Plugins>Diffusion") && line.contains(", \"") && !line.endsWith("\"-\"")) {
                    String menu = line.substring(0, line.indexOf(','));
                    String label = line.substring(line.indexOf('"') + 1, line.indexOf('"', line.indexOf('"') + 1));
                    entries.add(menu.equals("Plugins>Diffusion") ? label : menu.substring("Plugins>Diffusion>".length()));
                }
            }
        }
        List<String> intended = List.of("Text to Image", "Image to Image", "Inpaint Selection", "Pose", "Preprocess",
                "Diffusion Settings");
        int last = -1;
        for (String name : intended) {
            int at = entries.indexOf(name);
            assertTrue(at > last, name + " out of order in " + entries);
            last = at;
        }
        assertEquals("Diffusion Settings", entries.get(entries.size() - 1), "Settings is the last entry: " + entries);
        assertTrue(entries.lastIndexOf("Pose") < entries.indexOf("Preprocess"), "one Pose submenu before Preprocess: " + entries);
    }
}
