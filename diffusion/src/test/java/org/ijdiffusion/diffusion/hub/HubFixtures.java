package org.ijdiffusion.diffusion.hub;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** Test entries and settings: short timeouts and backoffs so the suite stays fast. */
final class HubFixtures {
    static final ModelEntry.License LICENSE = new ModelEntry.License("Test Licence", "https://example.org/license");

    private HubFixtures() {
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static ModelEntry entry(String name, String file, byte[] data, String... urls) throws Exception {
        return entry(name, file, data.length, sha(data), LICENSE, urls);
    }

    static ModelEntry entry(String name, String file, long size, String sha, ModelEntry.License lic, String... urls) {
        return new ModelEntry(name, ModelEntry.Kind.LORA, file, size, sha, List.of(urls), Folder.LORAS, lic, "test",
                List.of());
    }

    static DownloadSettings settings() {
        return new DownloadSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
                Duration.ofMillis(50), "ij-diffusion-test", null, null, Storage.FILES);
    }

    static Path testdata() {
        return Path.of(System.getProperty("testdata.dir", "../testdata"));
    }
}
