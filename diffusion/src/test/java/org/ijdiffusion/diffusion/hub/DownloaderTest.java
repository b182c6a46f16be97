package org.ijdiffusion.diffusion.hub;

import static org.ijdiffusion.diffusion.hub.HubFixtures.entry;
import static org.ijdiffusion.diffusion.hub.HubFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local server on 127.0.0.1 (never the network). */
class DownloaderTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Downloader.Result get(ModelEntry e, Path dir, DownloadSettings s) throws Exception {
        return new Downloader(s).download(e, dir, DownloadListener.NONE);
    }

    @Test
    void downloadsATinyFixtureWholeAndVerified() throws Exception {
        byte[] data = Files.readAllBytes(HubFixtures.testdata().resolve("models/tiny-lora.safetensors"));
        server.route("/tiny-lora.safetensors", server.file(data));
        ModelEntry e = entry("tiny", "tiny-lora.safetensors", data, server.url("/tiny-lora.safetensors"));
        AtomicInteger reports = new AtomicInteger();
        Downloader.Result r = new Downloader(settings()).download(e, dir, new DownloadListener() {
            @Override
            public void progress(ModelEntry en, long done, long total, double rate) {
                assertTrue(done <= total);
                reports.incrementAndGet();
            }
        });
        assertEquals(Downloader.Outcome.DOWNLOADED, r.outcome());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("tiny-lora.safetensors")));
        assertFalse(Files.exists(Downloader.partFile(dir.resolve("tiny-lora.safetensors"))));
        assertEquals(data.length, server.bytesServed.get());
        assertEquals(data.length, r.bytesTransferred());
        assertTrue(reports.get() >= 1);
        assertEquals("ij-diffusion-test", server.log.get(0).userAgent());
        assertNull(server.log.get(0).range(), "a fresh download asks for the whole file");
        // a second get finds it and downloads nothing
        assertEquals(Downloader.Outcome.ALREADY_PRESENT, get(e, dir, settings()).outcome());
        assertEquals(1, server.requests("/tiny-lora.safetensors"));
    }

    @Test
    void aConnectionCutMidFileIsResumedWithoutFetchingBytesTwice() throws Exception {
        byte[] data = TestServer.data(300_000, 1);
        server.route("/m.safetensors", server.cutOnce(data, 100_000));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        Downloader.Result r = get(e, dir, settings());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
        List<TestServer.Request> reqs = server.requestsTo("/m.safetensors");
        assertEquals(2, reqs.size());
        long resumedAt = Long.parseLong(reqs.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(resumedAt > 0 && resumedAt <= 100_000, "resumed at " + resumedAt);
        assertEquals(data.length, r.bytesTransferred(), "every byte came over the wire once");
    }

    @Test
    void aPartFromAnEarlierRunIsResumedAndHashedFromDisk() throws Exception {
        byte[] data = TestServer.data(200_000, 2);
        server.route("/m.safetensors", server.file(data));
        Files.write(dir.resolve("m.safetensors.part"), Arrays.copyOf(data, 70_000));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        Downloader.Result r = get(e, dir, settings());
        assertEquals(70_000, r.resumedFrom());
        assertEquals(130_000, server.bytesServed.get());
        assertEquals("bytes=70000-", server.log.get(0).range());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void aPartOfAnOlderVersionOfTheFileIsDetectedAndDownloadedAgain() throws Exception {
        byte[] data = TestServer.data(90_000, 19);
        server.route("/m.safetensors", server.file(data));
        Files.write(dir.resolve("m.safetensors.part"), TestServer.data(30_000, 20)); // not a prefix of data
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        Downloader.Result r = get(e, dir, settings());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
        assertEquals(60_000 + 90_000, server.bytesServed.get(), "the resumed tail, then the whole file once more");
        assertEquals(150_000, r.bytesTransferred());
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        byte[] data = TestServer.data(5_000, 23);
        TestServer.Behaviour busy = (ex, n) -> {
            ex.getResponseHeaders().add("Retry-After", "1");
            ex.sendResponseHeaders(503, -1);
        };
        server.route("/m.safetensors", (ex, n) -> (n == 1 ? busy : server.file(data)).handle(ex, n));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        long t0 = System.nanoTime();
        get(e, dir, settings().withRetries(3, Duration.ofMillis(10), Duration.ofSeconds(5)));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs >= 0.95, "waited only " + secs + " s");
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void aServerThatIgnoresRangeRestartsCleanly() throws Exception {
        byte[] data = TestServer.data(150_000, 3);
        server.route("/m.onnx", server.ignoringRange(data));
        Files.write(dir.resolve("m.onnx.part"), Arrays.copyOf(data, 40_000));
        ModelEntry e = entry("m", "m.onnx", data, server.url("/m.onnx"));
        get(e, dir, settings());
        assertEquals(1, server.requests("/m.onnx"), "the 200 answer itself is used from byte 0");
        assertEquals("bytes=40000-", server.log.get(0).range());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.onnx")));
    }

    @Test
    void a416RestartsFromByteZero() throws Exception {
        byte[] data = TestServer.data(120_000, 4);
        server.route("/m.safetensors", server.rangeNotSatisfiable(data));
        Files.write(dir.resolve("m.safetensors.part"), Arrays.copyOf(data, 10_000));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        get(e, dir, settings());
        List<TestServer.Request> reqs = server.requestsTo("/m.safetensors");
        assertEquals(2, reqs.size());
        assertEquals("bytes=10000-", reqs.get(0).range());
        assertNull(reqs.get(1).range());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void aRedirectChainIsFollowedAndTheTokenStaysWithItsHost() throws Exception {
        byte[] data = TestServer.data(50_000, 5);
        server.route("/a", TestServer.redirect(302, "/b"));
        // another host name for the same loopback server: the token must not follow
        server.route("/b", TestServer.redirect(307, "http://localhost:" + server.port() + "/cdn/m.safetensors"));
        server.route("/cdn/m.safetensors", server.file(data));
        // the token goes to huggingface.co or the base URL's host only: here the base URL (a private mirror)
        ModelEntry e = entry("m", "m.safetensors", data, "https://huggingface.co/a");
        get(e, dir, settings().withToken("secret-token").withBaseUrl(server.url("")));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
        assertEquals(List.of("/a", "/b", "/cdn/m.safetensors"), server.log.stream().map(TestServer.Request::path).toList());
        assertEquals("Bearer secret-token", server.log.get(0).authorization());
        assertEquals("Bearer secret-token", server.log.get(1).authorization());
        assertNull(server.log.get(2).authorization(), "the token went to another host");
    }

    @Test
    void theTokenIsNotSentToAHostOfAForeignCatalogue() throws Exception {
        byte[] data = TestServer.data(5_000, 18);
        server.route("/m.safetensors", server.file(data));
        get(entry("m", "m.safetensors", data, server.url("/m.safetensors")), dir, settings().withToken("secret-token"));
        assertNull(server.log.get(0).authorization());
    }

    @Test
    void a404GoesToTheNextMirrorAnd500sAreRetried() throws Exception {
        byte[] data = TestServer.data(60_000, 6);
        server.route("/flaky/m.safetensors", TestServer.failing(500, 2, server.file(data)));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/gone/m.safetensors"), server.url("/flaky/m.safetensors"));
        get(e, dir, settings());
        assertEquals(1, server.requests("/gone/m.safetensors"), "a 404 is not retried");
        assertEquals(3, server.requests("/flaky/m.safetensors"), "two 500s, then the file");
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void persistent500sFailWithOneLineNamingEachMirror() throws Exception {
        byte[] data = TestServer.data(1000, 7);
        server.route("/down/m.safetensors", TestServer.failing(500, 100, server.file(data)));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/nothing/m.safetensors"), server.url("/down/m.safetensors"));
        DownloadException ex = assertThrows(DownloadException.class, () -> get(e, dir, settings()));
        assertTrue(ex.getMessage().contains("not found (HTTP 404)"), ex.getMessage());
        assertTrue(ex.getMessage().contains("HTTP 500 (3 attempts)"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
        assertEquals(3, server.requests("/down/m.safetensors"));
        assertFalse(Files.exists(dir.resolve("m.safetensors")));
    }

    @Test
    void aStalledServerHitsTheTimeoutAndTheRetryResumes() throws Exception {
        byte[] data = TestServer.data(80_000, 8);
        server.route("/m.safetensors", server.stallOnce(data, 30_000, 10_000));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        long t0 = System.nanoTime();
        Downloader.Result r = get(e, dir, settings().withStallTimeout(Duration.ofMillis(300)));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs < 5, "took " + secs + " s: the stall was not cut at 0.3 s");
        assertEquals("bytes=30000-", server.requestsTo("/m.safetensors").get(1).range());
        assertEquals(data.length, r.bytesTransferred());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheTimeoutKeepingNothing() throws Exception {
        byte[] data = TestServer.data(1000, 9);
        server.route("/m.safetensors", server.silent(10_000));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        DownloadSettings s = settings().withStallTimeout(Duration.ofMillis(300)).withRetries(2, Duration.ofMillis(10),
                Duration.ofMillis(10));
        long t0 = System.nanoTime();
        DownloadException ex = assertThrows(DownloadException.class, () -> get(e, dir, s));
        assertTrue((System.nanoTime() - t0) / 1e9 < 5);
        assertTrue(ex.getMessage().contains("no response") && ex.getMessage().contains("0.3 s"), ex.getMessage());
    }

    @Test
    void aWrongSha256IsRefusedAndThePartDeleted() throws Exception {
        byte[] data = TestServer.data(40_000, 10);
        server.route("/m.safetensors", server.file(data));
        String wrong = HubFixtures.sha(TestServer.data(40_000, 11));
        ModelEntry e = HubFixtures.entry("m", "m.safetensors", data.length, wrong, HubFixtures.LICENSE,
                server.url("/m.safetensors"));
        DownloadException ex = assertThrows(DownloadException.class, () -> get(e, dir, settings()));
        assertTrue(ex.getMessage().contains("SHA-256 mismatch"), ex.getMessage());
        assertTrue(ex.getMessage().contains(wrong) && ex.getMessage().contains(HubFixtures.sha(data)), ex.getMessage());
        assertTrue(ex.getMessage().contains("deleted"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve("m.safetensors")));
        assertFalse(Files.exists(dir.resolve("m.safetensors.part")));
    }

    @Test
    void tooLittleFreeSpaceIsRefusedBeforeAnyRequest() throws Exception {
        byte[] data = TestServer.data(100_000, 12);
        server.route("/m.safetensors", server.file(data));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        QuotaStorage tiny = new QuotaStorage(50_000, 50_000);
        DownloadException ex = assertThrows(DownloadException.class, () -> get(e, dir, settings().withStorage(tiny)));
        assertTrue(ex.getMessage().contains("not enough free space"), ex.getMessage());
        assertTrue(server.log.isEmpty());
    }

    @Test
    void aDiskThatFillsUpMidFileKeepsTheResumablePart() throws Exception {
        byte[] data = TestServer.data(200_000, 13);
        server.route("/m.safetensors", server.file(data));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        // reports plenty of room, but another writer fills the disk after 70 000 of our bytes
        QuotaStorage filling = new QuotaStorage(Long.MAX_VALUE / 2, 70_000);
        DownloadException ex = assertThrows(DownloadException.class, () -> get(e, dir, settings().withStorage(filling)));
        assertTrue(ex.getMessage().contains("disk full") && ex.getMessage().contains("resume"), ex.getMessage());
        Path part = dir.resolve("m.safetensors.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= 70_000, "kept " + kept);
        assertArrayEquals(Arrays.copyOf(data, (int) kept), Files.readAllBytes(part));
        Downloader.Result r = get(e, dir, settings());
        assertEquals(kept, r.resumedFrom());
        assertEquals(data.length - kept, r.bytesTransferred());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void cancelKeepsTheResumablePart() throws Exception {
        byte[] data = TestServer.data(400_000, 14);
        server.route("/m.safetensors", server.file(data, 16_384, 25));
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        DownloadListener cancelling = new DownloadListener() {
            volatile long seen;

            @Override
            public void progress(ModelEntry en, long done, long total, double rate) {
                seen = done;
            }

            @Override
            public boolean cancelled() {
                return seen >= 100_000;
            }
        };
        Downloader.CancelledException ex = assertThrows(Downloader.CancelledException.class,
                () -> new Downloader(settings()).download(e, dir, cancelling));
        assertTrue(ex.getMessage().contains("resume"), ex.getMessage());
        long kept = Files.size(dir.resolve("m.safetensors.part"));
        assertTrue(kept >= 100_000 && kept < data.length, "kept " + kept);
        Downloader.Result r = get(e, dir, settings());
        assertEquals(kept, r.resumedFrom());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void anExistingDifferentFileIsNeverOverwritten() throws Exception {
        byte[] data = TestServer.data(10_000, 15);
        server.route("/m.safetensors", server.file(data));
        byte[] mine = TestServer.data(10_000, 16);
        Files.write(dir.resolve("m.safetensors"), mine);
        ModelEntry e = entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        DownloadException ex = assertThrows(DownloadException.class, () -> get(e, dir, settings()));
        assertTrue(ex.getMessage().contains("left as it is"), ex.getMessage());
        assertArrayEquals(mine, Files.readAllBytes(dir.resolve("m.safetensors")));
        assertTrue(server.log.isEmpty());
    }

    @Test
    void theBaseUrlReplacesSchemeAndHostKeepingThePath() throws Exception {
        byte[] data = TestServer.data(20_000, 17);
        server.route("/mirror/org/repo/resolve/main/m.safetensors", server.file(data));
        ModelEntry e = entry("m", "m.safetensors", data, "https://huggingface.co/org/repo/resolve/main/m.safetensors");
        get(e, dir, settings().withBaseUrl(server.url("/mirror")));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }
}
