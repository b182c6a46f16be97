package org.ijdiffusion.plugin.ij;

import static org.ijdiffusion.plugin.ij.HeadlessImageJ.q;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.ijdiffusion.diffusion.hub.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins > Diffusion > Download Models... through a headless macro, from a catalogue served on 127.0.0.1. */
class DownloadModelsMacroTest {
    @TempDir
    Path tmp;
    TestServer server;
    byte[] lora = TestServer.data(50_000, 61);
    Path catalogue;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        server.route("/lora.safetensors", server.file(lora));
        catalogue = tmp.resolve("catalogue.json");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lora));
        Files.writeString(catalogue, "{\"version\": 1, \"models\": [{\"name\": \"tiny-lora\", \"kind\": \"lora\", "
                + "\"file\": \"tiny-lora.safetensors\", \"size\": " + lora.length + ", \"sha256\": \"" + sha + "\", "
                + "\"urls\": [\"" + server.url("/lora.safetensors") + "\"], \"folder\": \"loras\", "
                + "\"license\": {\"name\": \"Test Licence\", \"url\": \"https://example.org/l\"}}]}");
        HeadlessImageJ.run(MacroCommandsTest.settings(MacroCommandsTest.MODELS, "", "tiny-sd15.safetensors"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        HeadlessImageJ.run(MacroCommandsTest.settings(MacroCommandsTest.MODELS, "", "tiny-sd15.safetensors"));
    }

    private String options(Path root, boolean accept) {
        return "models_root=[" + root + "] layout=auto catalogue=[" + catalogue + "] tiny-lora" + (accept ? " accept_licenses" : "");
    }

    @Test
    void aMacroDownloadsTheTickedModelIntoTheModelsFolder() throws Exception {
        Path root = tmp.resolve("models");
        String out = HeadlessImageJ.run("run(\"Download Models...\", " + q(options(root, true)) + ");\n");
        assertArrayEquals(lora, Files.readAllBytes(root.resolve("loras/tiny-lora.safetensors")), out);
        assertTrue(out.contains("licence 'Test Licence'") && out.contains("downloaded"), out);
        assertTrue(Files.exists(root.resolve("loras/tiny-lora.safetensors.license.txt")));
    }

    @Test
    void withoutAcceptingTheLicenceNothingIsDownloaded() throws Exception {
        Path root = tmp.resolve("models2");
        String out = HeadlessImageJ.run("run(\"Download Models...\", " + q(options(root, false)) + ");\n");
        assertTrue(out.contains("must be accepted"), out);
        assertFalse(Files.exists(root.resolve("loras/tiny-lora.safetensors")));
        assertTrue(server.log.isEmpty());
    }
}
