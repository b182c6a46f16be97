package org.ijdiffusion.plugin.ij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preview settings and where the TAESD preview decoder is found. */
class PreviewSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsRoundTripAndWhichStepsShow() {
        Map<String, String> store = new HashMap<>();
        assertEquals(PreviewSettings.DEFAULTS, PreviewSettings.load(store::get));
        new PreviewSettings(3, true).save(store::put);
        assertEquals(new PreviewSettings(3, true), PreviewSettings.load(store::get));
        PreviewSettings every3 = new PreviewSettings(3, false);
        assertFalse(every3.shows(1, 10));
        assertTrue(every3.shows(3, 10));
        assertTrue(every3.shows(9, 10));
        assertFalse(new PreviewSettings(1, false).shows(10, 10), "the last step is the picture itself");
        assertFalse(new PreviewSettings(0, false).shows(2, 10), "0 = no preview");
        store.put(SuiteSettings.PREFIX + PreviewSettings.EVERY, "abc");
        assertEquals(1, PreviewSettings.load(store::get).every());
    }

    @Test
    void taesdIsFoundInTheA1111AndComfyUiFolders() throws Exception {
        Path root = tmp.resolve("models");
        Files.createDirectories(root.resolve("vae_approx"));
        ModelFolders f = new ModelFolders(root, Map.of());
        assertNull(f.taesd());
        Files.write(root.resolve("vae_approx/taesdxl_decoder.safetensors"), new byte[0]);
        assertNull(f.taesd(), "only the SD1.x decoder");
        Files.write(root.resolve("vae_approx/taesd_decoder.safetensors"), new byte[0]);
        assertEquals(root.resolve("vae_approx/taesd_decoder.safetensors"), f.taesd());
        Path own = tmp.resolve("mine");
        Files.createDirectories(own);
        Files.write(own.resolve("taesd_decoder.safetensors"), new byte[0]);
        assertEquals(own.resolve("taesd_decoder.safetensors"), new ModelFolders(root, Map.of(ModelKind.TAESD, own)).taesd());
    }
}
