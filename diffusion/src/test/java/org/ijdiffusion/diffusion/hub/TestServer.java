package org.ijdiffusion.diffusion.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK's HTTP server on 127.0.0.1, port 0 (never any other host): each path answers with a
 * behaviour (a file with Range support, a server that ignores Range, a cut connection, a stall, a
 * redirect, an error status ...). It counts the body bytes it sent and logs every request.
 */
public final class TestServer implements AutoCloseable {
    /** What one path does; {@code n} is the number of the request to that path (1 = first). */
    public interface Behaviour {
        void handle(HttpExchange ex, int n) throws IOException;
    }

    public record Request(String path, String range, String authorization, String userAgent, String uri) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    public final AtomicLong bytesServed = new AtomicLong();
    public final List<Request> log = new CopyOnWriteArrayList<>();

    public TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            log.add(new Request(path, ex.getRequestHeaders().getFirst("Range"),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("User-Agent"),
                    ex.getRequestURI().toString()));
            Behaviour b = routes.get(path);
            int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            try {
                if (b == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    b.handle(ex, n);
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public TestServer route(String path, Behaviour b) {
        routes.put(path, b);
        return this;
    }

    public int requests(String path) {
        AtomicInteger c = counts.get(path);
        return c == null ? 0 : c.get();
    }

    public List<Request> requestsTo(String path) {
        return log.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    public static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- behaviours ----

    static long rangeStart(HttpExchange ex) {
        String r = ex.getRequestHeaders().getFirst("Range");
        if (r == null || !r.startsWith("bytes=")) {
            return -1;
        }
        return Long.parseLong(r.substring(6, r.indexOf('-')));
    }

    /** A file with Range support (206 + Content-Range), written in chunks with an optional pause. */
    public Behaviour file(byte[] data) {
        return file(data, 0, 0);
    }

    public Behaviour file(byte[] data, int chunk, long pauseMs) {
        return (ex, n) -> sendFrom(ex, data, Math.max(0, rangeStart(ex)), rangeStart(ex) >= 0, chunk, pauseMs, -1);
    }

    /** Always the whole file with 200, whatever the Range header says. */
    public Behaviour ignoringRange(byte[] data) {
        return (ex, n) -> sendFrom(ex, data, 0, false, 0, 0, -1);
    }

    /** 416 for any Range request; the whole file without one. */
    public Behaviour rangeNotSatisfiable(byte[] data) {
        return (ex, n) -> {
            if (rangeStart(ex) >= 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + data.length);
                ex.sendResponseHeaders(416, -1);
            } else {
                sendFrom(ex, data, 0, false, 0, 0, -1);
            }
        };
    }

    /** The first answer stops after {@code cut} body bytes and drops the connection; later ones are whole. */
    public Behaviour cutOnce(byte[] data, int cut) {
        return (ex, n) -> sendFrom(ex, data, Math.max(0, rangeStart(ex)), rangeStart(ex) >= 0, 0, 0, n == 1 ? cut : -1);
    }

    /** The first answer sends {@code before} bytes then goes silent for {@code stallMs}; later ones are whole. */
    public Behaviour stallOnce(byte[] data, int before, long stallMs) {
        return (ex, n) -> {
            if (n > 1) {
                sendFrom(ex, data, Math.max(0, rangeStart(ex)), rangeStart(ex) >= 0, 0, 0, -1);
                return;
            }
            ex.sendResponseHeaders(200, data.length);
            OutputStream out = ex.getResponseBody();
            out.write(data, 0, before);
            out.flush();
            bytesServed.addAndGet(before);
            sleep(stallMs);
            throw new IOException("stalled on purpose");
        };
    }

    /** Never answers within {@code ms} (no headers). */
    public Behaviour silent(long ms) {
        return (ex, n) -> {
            sleep(ms);
            throw new IOException("silent on purpose");
        };
    }

    public static Behaviour redirect(int status, String location) {
        return (ex, n) -> {
            ex.getResponseHeaders().add("Location", location);
            ex.sendResponseHeaders(status, -1);
        };
    }

    /** {@code status} for the first {@code times} requests, then {@code then}. */
    public static Behaviour failing(int status, int times, Behaviour then) {
        return (ex, n) -> {
            if (n <= times) {
                ex.sendResponseHeaders(status, -1);
            } else {
                then.handle(ex, n - times);
            }
        };
    }

    private void sendFrom(HttpExchange ex, byte[] data, long from, boolean partial, int chunk, long pauseMs, int cut)
            throws IOException {
        int start = (int) from;
        int len = data.length - start;
        if (partial) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
        }
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(partial ? 206 : 200, len);
        OutputStream out = ex.getResponseBody();
        int limit = cut >= 0 ? Math.min(cut, len) : len;
        int step = chunk > 0 ? chunk : 1 << 16;
        for (int off = 0; off < limit; off += step) {
            int k = Math.min(step, limit - off);
            out.write(data, start + off, k);
            out.flush();
            bytesServed.addAndGet(k);
            if (pauseMs > 0) {
                sleep(pauseMs);
            }
        }
        if (cut >= 0) {
            throw new IOException("cut on purpose");
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
