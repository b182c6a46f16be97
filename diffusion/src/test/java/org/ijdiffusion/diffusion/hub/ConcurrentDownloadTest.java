package org.ijdiffusion.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One download of a file at a time: two threads, and two processes, asking for the same file together. */
class ConcurrentDownloadTest {
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

    @Test
    void twoThreadsGettingOneFileDownloadItOnce() throws Exception {
        byte[] data = TestServer.data(256_000, 21);
        server.route("/m.safetensors", server.file(data, 16_000, 10));
        ModelEntry e = HubFixtures.entry("m", "m.safetensors", data, server.url("/m.safetensors"));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Downloader.Result>> fs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return new Downloader(HubFixtures.settings()).download(e, dir, DownloadListener.NONE);
                }));
            }
            go.countDown();
            Set<Downloader.Outcome> outcomes = EnumSet.noneOf(Downloader.Outcome.class);
            for (Future<Downloader.Result> f : fs) {
                outcomes.add(f.get(30, TimeUnit.SECONDS).outcome());
            }
            assertEquals(EnumSet.of(Downloader.Outcome.DOWNLOADED, Downloader.Outcome.DOWNLOADED_ELSEWHERE), outcomes);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, server.requests("/m.safetensors"));
        assertEquals(data.length, server.bytesServed.get());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
    }

    @Test
    void twoProcessesGettingOneFileDownloadItOnce() throws Exception {
        byte[] data = TestServer.data(256_000, 22);
        server.route("/p.safetensors", server.file(data, 16_000, 15));
        String url = server.url("/p.safetensors");
        String sha = HubFixtures.sha(data);
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DownloadProcess.class.getName(), url, sha, Integer.toString(data.length), dir.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolveSibling(dir.getFileName() + "-p" + i + ".log").toFile());
            ps.add(pb.start());
        }
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertTrue(ps.get(i).waitFor(60, TimeUnit.SECONDS), "process " + i + " did not finish");
            File log = dir.resolveSibling(dir.getFileName() + "-p" + i + ".log").toFile();
            String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertEquals(0, ps.get(i).exitValue(), out);
            outcomes.add(out.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        assertTrue(outcomes.contains("DOWNLOADED") && outcomes.contains("DOWNLOADED_ELSEWHERE")
                || outcomes.contains("DOWNLOADED") && outcomes.contains("ALREADY_PRESENT"), outcomes.toString());
        assertEquals(1, server.requests("/p.safetensors"));
        assertEquals(data.length, server.bytesServed.get());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("p.safetensors")));
    }

    /** The child process: downloads one file and prints the outcome. */
    public static final class DownloadProcess {
        public static void main(String[] a) throws Exception {
            ModelEntry e = HubFixtures.entry("p", "p.safetensors", Long.parseLong(a[2]), a[1], HubFixtures.LICENSE, a[0]);
            Downloader.Result r = new Downloader(HubFixtures.settings()).download(e, Path.of(a[3]), DownloadListener.NONE);
            System.out.println(r.outcome());
        }
    }
}
