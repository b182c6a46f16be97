package org.ijdiffusion.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Licences asked once and stored beside the weights; status, verify and the models-folder layout. */
class ModelManagerTest {
    @TempDir
    Path root;
    TestServer server;
    byte[] a = TestServer.data(30_000, 41);
    byte[] b = TestServer.data(20_000, 42);
    byte[] c = TestServer.data(10_000, 43);
    Catalogue catalogue;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        server.route("/a.safetensors", server.file(a)).route("/b.safetensors", server.file(b))
                .route("/c.onnx", server.file(c));
        ModelEntry.License other = new ModelEntry.License("Other Licence", "https://example.org/other");
        catalogue = new Catalogue(List.of(HubFixtures.entry("a", "a.safetensors", a, server.url("/a.safetensors")),
                HubFixtures.entry("b", "b.safetensors", b, server.url("/b.safetensors")),
                HubFixtures.entry("c", "c.onnx", c.length, HubFixtures.sha(c), other, server.url("/c.onnx"))), "test");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelManager manager() {
        return new ModelManager(catalogue, ModelsRoot.of(root, null), HubFixtures.settings());
    }

    @Test
    void eachLicenceIsAskedOnceBeforeTheFirstDownloadAndStoredBesideTheWeights() throws Exception {
        List<String> asked = new ArrayList<>();
        Licenses.Gate yes = (l, text, entries) -> {
            asked.add(l.name() + ":" + entries.size());
            return true;
        };
        ModelManager m = manager();
        m.get(m.entries(List.of("a", "b")), yes, DownloadListener.NONE);
        assertEquals(List.of("Test Licence:2"), asked);
        m.get(m.entries(List.of("c", "a")), yes, DownloadListener.NONE);
        assertEquals(List.of("Test Licence:2", "Other Licence:1"), asked, "an accepted licence is not asked again");
        Path lic = Licenses.fileBeside(root.resolve("loras/a.safetensors"));
        String text = Files.readString(lic, StandardCharsets.UTF_8);
        assertTrue(text.contains("Licence: Test Licence") && text.contains("https://example.org/license"), text);
        assertTrue(text.contains(HubFixtures.sha(a)));
        assertEquals(ModelManager.State.INSTALLED, m.status(catalogue.get("c")).state());
    }

    @Test
    void aDeclinedLicenceDownloadsNothing() throws Exception {
        ModelManager m = manager();
        DownloadException e = assertThrows(DownloadException.class,
                () -> m.get(m.entries(List.of("a")), (l, t, en) -> false, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("not accepted") && e.getMessage().contains("nothing was downloaded"));
        assertTrue(server.log.isEmpty());
        assertEquals(ModelManager.State.MISSING, m.status(catalogue.get("a")).state());
    }

    @Test
    void verifyNamesTheFilesThatDiffer() throws Exception {
        ModelManager m = manager();
        m.get(m.entries(List.of("a", "b")), (l, t, en) -> true, DownloadListener.NONE);
        Path fb = root.resolve("loras/b.safetensors");
        byte[] changed = Files.readAllBytes(fb);
        changed[100] ^= 1;
        Files.write(fb, changed);
        List<ModelManager.Verified> v = m.verify(List.of(), DownloadListener.NONE);
        assertEquals(2, v.size());
        assertTrue(v.get(0).ok());
        assertFalse(v.get(1).ok());
        assertEquals("b", v.get(1).entry().name());
        assertFalse(m.verify(m.entries(List.of("c")), DownloadListener.NONE).get(0).present());
    }

    @Test
    void statusShowsPartialDownloadsAndTheLayoutFollowsTheFolder() throws Exception {
        Files.createDirectories(root.resolve("Lora"));
        ModelManager m = manager();
        assertEquals(Folder.Layout.A1111, m.root().layout());
        Files.write(root.resolve("Lora/a.safetensors.part"), new byte[3000]);
        ModelManager.Status s = m.status(catalogue.get("a"));
        assertEquals(ModelManager.State.PARTIAL, s.state());
        assertEquals("partial 10%", s.describe());
        assertEquals(root.resolve("Lora/a.safetensors"), s.file());
        assertEquals(Folder.Layout.COMFYUI, ModelsRoot.of(root.resolve("empty"), null).layout());
    }
}
