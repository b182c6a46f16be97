package org.ijdiffusion.diffusion.hub;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How downloads talk to the network. Java's proxy settings ({@code https.proxyHost},
 * {@code http.proxyHost}, {@code -Djava.net.useSystemProxies=true}) are honoured through
 * {@code ProxySelector.getDefault()}.
 *
 * @param connectTimeout time to open a connection
 * @param stallTimeout   no byte (or no response) for this long ends the attempt (then retried, resuming)
 * @param attempts       tries per mirror URL for transient failures (timeouts, cut connections, 5xx, 429)
 * @param backoff        wait before the first retry; doubled on each further retry, at most {@code maxBackoff}
 * @param maxBackoff     the longest wait between retries
 * @param userAgent      the {@code User-Agent} header
 * @param token          a bearer token for gated mirrors, or null: sent only to huggingface.co and to the
 *                       base URL's host (never to another host a redirect leads to, nor over plain http
 *                       except to loopback), so a foreign catalogue cannot collect it
 * @param baseUrl        a private mirror: replaces the scheme and host of every catalogue URL (the path is
 *                       kept), or null
 * @param storage        where bytes go (a test double simulates a full disk)
 */
public record DownloadSettings(Duration connectTimeout, Duration stallTimeout, int attempts, Duration backoff,
        Duration maxBackoff, String userAgent, String token, String baseUrl, Storage storage) {
    public static final String USER_AGENT = "ij-diffusion/0.1 (+https://github.com/ij-diffusion; Java HttpClient)";
    /** Environment variables read for a token, in order. */
    public static final List<String> TOKEN_ENV = List.of("IJDIFFUSION_HF_TOKEN", "HF_TOKEN");
    public static final String BASE_URL_ENV = "IJDIFFUSION_MODELS_BASE_URL";

    public DownloadSettings {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1 (got " + attempts + ")");
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("the stall timeout must be positive");
        }
        if (baseUrl != null) {
            baseUrl = baseUrl.strip();
            if (baseUrl.isEmpty()) {
                baseUrl = null;
            } else if (!(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
                throw new IllegalArgumentException("the base URL must start with https:// or http:// (got '" + baseUrl + "')");
            }
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (storage == null) {
            storage = Storage.FILES;
        }
    }

    /** Defaults: 30 s connect, 60 s stall, 5 attempts, 2 s doubling to 60 s; token and base URL from the environment. */
    public static DownloadSettings defaults() {
        String token = null;
        for (String env : TOKEN_ENV) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                token = v;
                break;
            }
        }
        return new DownloadSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), 5, Duration.ofSeconds(2),
                Duration.ofSeconds(60), USER_AGENT, token, System.getenv(BASE_URL_ENV), Storage.FILES);
    }

    public DownloadSettings withStallTimeout(Duration d) {
        return new DownloadSettings(connectTimeout, d, attempts, backoff, maxBackoff, userAgent, token, baseUrl, storage);
    }

    public DownloadSettings withRetries(int attempts, Duration backoff, Duration maxBackoff) {
        return new DownloadSettings(connectTimeout, stallTimeout, attempts, backoff, maxBackoff, userAgent, token, baseUrl,
                storage);
    }

    public DownloadSettings withToken(String t) {
        return new DownloadSettings(connectTimeout, stallTimeout, attempts, backoff, maxBackoff, userAgent, t, baseUrl, storage);
    }

    public DownloadSettings withBaseUrl(String b) {
        return new DownloadSettings(connectTimeout, stallTimeout, attempts, backoff, maxBackoff, userAgent, token, b, storage);
    }

    public DownloadSettings withStorage(Storage s) {
        return new DownloadSettings(connectTimeout, stallTimeout, attempts, backoff, maxBackoff, userAgent, token, baseUrl, s);
    }

    /** The URLs an entry is fetched from: the catalogue's, or with the base URL in place of scheme and host. */
    public List<String> urls(ModelEntry e) {
        if (baseUrl == null) {
            return e.urls();
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return e.urls().stream().map(u -> {
            URI uri = URI.create(u);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return base + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }).distinct().toList();
    }

    /** Whether the token may go to the host of {@code url} (a catalogue or base URL, before redirects). */
    boolean tokenAllowed(URI url) {
        String h = url.getHost() == null ? "" : url.getHost().toLowerCase(java.util.Locale.ROOT);
        if (h.equals("huggingface.co") || h.endsWith(".huggingface.co")) {
            return true;
        }
        if (baseUrl == null) {
            return false;
        }
        URI b = URI.create(baseUrl);
        return h.equalsIgnoreCase(b.getHost()) && url.getPort() == b.getPort();
    }

    /** The wait before retry number {@code retry} (1 = first retry). */
    Duration backoff(int retry) {
        long ms = backoff.toMillis();
        for (int i = 1; i < retry && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
