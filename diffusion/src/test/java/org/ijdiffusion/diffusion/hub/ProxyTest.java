package org.ijdiffusion.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java's proxy settings are honoured: the request goes to the proxy (the loopback test server), never to the host. */
class ProxyTest {
    @TempDir
    Path dir;

    @Test
    void downloadsGoThroughTheDefaultProxySelector() throws Exception {
        ProxySelector before = ProxySelector.getDefault();
        try (TestServer proxy = new TestServer()) {
            byte[] data = TestServer.data(30_000, 31);
            proxy.route("/org/m.safetensors", proxy.file(data));
            ProxySelector.setDefault(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.port())));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                }
            });
            // .invalid never resolves: only a proxy can answer for it
            ModelEntry e = HubFixtures.entry("m", "m.safetensors", data, "http://models.invalid/org/m.safetensors");
            new Downloader(HubFixtures.settings()).download(e, dir, DownloadListener.NONE);
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("m.safetensors")));
            assertEquals("http://models.invalid/org/m.safetensors", proxy.log.get(0).uri());
        } finally {
            ProxySelector.setDefault(before);
        }
    }
}
