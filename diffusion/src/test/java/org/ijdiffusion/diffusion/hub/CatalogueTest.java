package org.ijdiffusion.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueTest {
    @Test
    void everyBuiltInEntryHasHttpsUrlsAHashASizeAndItsOwnFileName() {
        Catalogue c = Catalogue.builtIn();
        Set<String> files = new HashSet<>();
        assertFalse(c.entries().isEmpty());
        for (ModelEntry e : c.entries()) {
            assertTrue(e.httpsOnly(), e.name() + ": " + e.urls());
            for (String u : e.urls()) {
                assertTrue(u.startsWith("https://"), u);
            }
            assertTrue(e.sha256().matches("[0-9a-f]{64}"), e.name());
            assertTrue(e.size() > 0, e.name());
            assertTrue(files.add(e.file().toLowerCase(Locale.ROOT)), "two entries share " + e.file());
            String f = e.file().toLowerCase(Locale.ROOT);
            assertTrue(f.endsWith(".safetensors") || f.endsWith(".onnx"), e.file());
            assertTrue(e.license().url().startsWith("https://"), e.name());
            assertFalse(e.hashConfirmedBy().isEmpty(), e.name() + " says nowhere where its hash comes from");
        }
    }

    @Test
    void theBuiltInCatalogueHasWhatTheSuitesFeaturesNeed() {
        Catalogue c = Catalogue.builtIn();
        for (String n : List.of("sd15", "sd15-inpainting", "controlnet-canny", "controlnet-openpose", "controlnet-depth",
                "depth-anything-v2-small", "lcm-lora-sd15", "taesd")) {
            c.get(n);
        }
        assertEquals(ModelEntry.Kind.DEPTH_PREPROCESSOR, c.get("depth-anything-v2-small").kind());
        assertEquals("Apache-2.0", c.get("depth-anything-v2-small").license().name());
        assertEquals(Folder.CONTROLNET, c.get("controlnet-openpose").folder());
        // ControlNet v1.1 fp16 files all have this size (Git LFS pointers)
        assertEquals(722_601_100L, c.get("controlnet-depth").size());
    }

    @Test
    void theLicenceTextsShipWithTheJar() throws Exception {
        Catalogue c = Catalogue.builtIn();
        for (String n : List.of("sd15", "sd15-inpainting", "lcm-lora-sd15", "taesd", "depth-anything-v2-small")) {
            String text = Licenses.text(c.get(n).license());
            assertTrue(text != null && text.length() > 1000, n + " has no licence text in the jar");
        }
        // CreativeML Open RAIL-M exactly as CompVis publishes it (14385 bytes)
        byte[] openrail = Licenses.text(c.get("sd15").license()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(14385, openrail.length);
        assertEquals("be351ebe7ac01bcdbb018639aadcfd38f136b7dc3f2a3d4d3a24db51d1b210ef", HubFixtures.sha(openrail));
    }

    private static String one(String fields) {
        return "{\"version\": 1, \"models\": [{\"name\": \"x\", \"kind\": \"checkpoint\", " + fields
                + ", \"folder\": \"checkpoints\", \"license\": {\"name\": \"L\", \"url\": \"https://example.org/l\"}}]}";
    }

    private static final String SHA = "\"sha256\": \"" + "ab".repeat(32) + "\"";

    @Test
    void anEntryThatIsNotSafetensorsOrOnnxIsRejected() {
        CatalogueException e = assertThrows(CatalogueException.class, () -> Catalogue.parse(
                one("\"file\": \"model.ckpt\", \"size\": 10, " + SHA + ", \"urls\": [\"https://example.org/model.ckpt\"]"),
                "test"));
        assertTrue(e.getMessage().contains("model.ckpt") && e.getMessage().contains("not a .safetensors or .onnx"),
                e.getMessage());
        assertThrows(CatalogueException.class, () -> Catalogue.parse(
                one("\"file\": \"weights.bin\", \"size\": 10, " + SHA + ", \"urls\": [\"https://example.org/w.bin\"]"), "test"));
    }

    @Test
    void badEntriesAreNamedWithTheirField() {
        String urls = "\"urls\": [\"https://example.org/x.safetensors\"]";
        assertTrue(assertThrows(CatalogueException.class, () -> Catalogue.parse(one("\"file\": \"x.safetensors\", "
                + "\"size\": 10, \"sha256\": \"abc\", " + urls), "t")).getMessage().contains("64 lower-case hex"));
        assertTrue(assertThrows(CatalogueException.class, () -> Catalogue.parse(one("\"file\": \"x.safetensors\", "
                + SHA + ", " + urls), "t")).getMessage().contains("size"));
        assertTrue(assertThrows(CatalogueException.class, () -> Catalogue.parse(one("\"file\": \"../x.safetensors\", "
                + "\"size\": 10, " + SHA + ", " + urls), "t")).getMessage().contains("plain file name"));
        assertTrue(assertThrows(CatalogueException.class, () -> Catalogue.parse(one("\"file\": \"x.safetensors\", "
                + "\"size\": 10, " + SHA + ", \"urls\": [\"ftp://example.org/x\"]"), "t")).getMessage().contains("http"));
        assertTrue(assertThrows(CatalogueException.class, () -> Catalogue.parse("{\"version\": 2, \"models\": []}", "t"))
                .getMessage().contains("version"));
        assertTrue(assertThrows(CatalogueException.class, () -> Catalogue.parse("not json", "t")).getMessage()
                .contains("JSON"));
    }

    @Test
    void twoEntriesWithOneFileNameAreRejected() {
        String e1 = "{\"name\": \"a\", \"kind\": \"lora\", \"file\": \"same.safetensors\", \"size\": 1, " + SHA
                + ", \"urls\": [\"https://example.org/1\"], \"folder\": \"loras\", \"license\": {\"name\": \"L\", \"url\": \"https://example.org/l\"}}";
        String e2 = e1.replace("\"a\"", "\"b\"");
        CatalogueException e = assertThrows(CatalogueException.class,
                () -> Catalogue.parse("{\"version\": 1, \"models\": [" + e1 + ", " + e2 + "]}", "t"));
        assertTrue(e.getMessage().contains("share the file name same.safetensors"), e.getMessage());
    }

    @Test
    void extraFieldsAreFineAndAnUnknownNameListsTheKnownOnes() {
        Catalogue c = Catalogue.parse("{\"version\": 1, \"comment\": \"x\", \"models\": [{\"name\": \"a\", \"kind\": \"lora\","
                + " \"file\": \"a.safetensors\", \"size\": 5, " + SHA + ", \"urls\": [\"http://127.0.0.1:1/a\"], "
                + "\"folder\": \"loras\", \"license\": {\"name\": \"L\", \"url\": \"https://example.org/l\"}, "
                + "\"hash_confirmed_by\": [\"one\", \"two\"], \"whatever\": 3}]}", "t");
        assertTrue(c.get("a").confirmedTwice());
        assertFalse(c.get("a").httpsOnly());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("nope"));
        assertTrue(e.getMessage().contains("known: a"), e.getMessage());
    }
}
