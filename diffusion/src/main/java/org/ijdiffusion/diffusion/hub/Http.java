package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/**
 * HTTP GETs with redirects followed here (not by the client) so that the token goes only to the host
 * it was meant for, https is never downgraded to http, and the chain is bounded.
 */
final class Http {
    static final int MAX_REDIRECTS = 10;

    private final DownloadSettings settings;
    private final HttpClient client;

    Http(DownloadSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).proxy(ProxySelector.getDefault()).build();
    }

    /** A response whose status is not a redirect; the body is an open stream the caller closes. */
    record Opened(int status, HttpResponse<InputStream> response, String finalUrl) {
        long contentLength() {
            return response.headers().firstValueAsLong("content-length").orElse(-1);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** GET {@code url}, from byte {@code from} (a Range request when > 0), following redirects. */
    Opened open(String url, long from) throws IOException, InterruptedException {
        URI origin = URI.create(url);
        URI uri = origin;
        boolean tokenOk = settings.token() != null && settings.tokenAllowed(origin);
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET().timeout(settings.stallTimeout())
                    .header("User-Agent", settings.userAgent()).header("Accept-Encoding", "identity");
            if (from > 0) {
                rb.header("Range", "bytes=" + from + "-");
            }
            if (tokenOk && sameHost(uri, origin) && (isHttps(uri) || isLoopback(uri))) {
                rb.header("Authorization", "Bearer " + settings.token());
            }
            HttpResponse<InputStream> r;
            try {
                r = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new StallException("no response from " + uri.getHost() + " within "
                        + Progress.seconds(settings.stallTimeout()));
            } catch (InterruptedIOException e) {
                throw e;
            }
            int status = r.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                r.body().close();
                String loc = r.headers().firstValue("location").orElse(null);
                if (loc == null) {
                    throw new IOException("HTTP " + status + " redirect without a Location from " + uri.getHost());
                }
                if (hop + 1 > MAX_REDIRECTS) {
                    throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + url);
                }
                URI next = uri.resolve(loc.strip());
                if (isHttps(uri) && !isHttps(next)) {
                    throw new IOException("refused a redirect from https to plain http (" + next.getHost() + ")");
                }
                if (!"http".equals(scheme(next)) && !"https".equals(scheme(next))) {
                    throw new IOException("refused a redirect to '" + next + "'");
                }
                uri = next;
                continue;
            }
            return new Opened(status, r, uri.toString());
        }
    }

    /** A small body (a catalogue), at most {@code max} bytes, with the usual retries for 5xx. */
    byte[] fetchSmall(String url, int max) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                Opened o = open(url, 0);
                try (InputStream in = o.response().body()) {
                    if (o.status() == 200) {
                        byte[] b = in.readNBytes(max + 1);
                        if (b.length > max) {
                            throw new DownloadException(url + " is larger than " + max + " bytes: not a catalogue");
                        }
                        return b;
                    }
                    last = new DownloadException("HTTP " + o.status() + " for " + url);
                    if (o.status() < 500 && o.status() != 429 && o.status() != 408) {
                        throw last;
                    }
                }
            } catch (DownloadException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while fetching " + url);
            }
            Downloader.sleep(settings.backoff(attempt));
        }
        throw new DownloadException("could not fetch " + url + ": " + last.getMessage());
    }

    /** The host (and port) of a URL, for messages. */
    static String hostOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String scheme(URI u) {
        return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    }

    static boolean isHttps(URI u) {
        return "https".equals(scheme(u));
    }

    static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && scheme(a).equals(scheme(b));
    }

    static boolean isLoopback(URI u) {
        String h = u.getHost();
        if (h == null) {
            return false;
        }
        if (h.equals("localhost")) {
            return true;
        }
        try {
            // a literal address only: no name lookup for other hosts
            return (h.matches("[0-9.]+") || h.contains(":")) && InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** No byte or no response for the stall timeout. */
    static final class StallException extends IOException {
        private static final long serialVersionUID = 1L;

        StallException(String message) {
            super(message);
        }
    }
}
