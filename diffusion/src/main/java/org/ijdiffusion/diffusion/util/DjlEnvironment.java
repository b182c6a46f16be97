package org.ijdiffusion.diffusion.util;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * DJL's settings, made by the suite itself before the engine starts (in Fiji nobody passes
 * {@code -Dai.djl.offline=true} or sets environment variables): offline (DJL never downloads an engine or a
 * model), no usage tracking, and its cache under the user's cache folder
 * ({@code $XDG_CACHE_HOME/ij-diffusion/djl}, else {@code ~/.cache/ij-diffusion/djl}) instead of
 * {@code ~/.djl.ai}. DJL reads each from the environment first, then from the system property of the same
 * name, so a user's own environment variable or {@code -D} still wins.
 */
public final class DjlEnvironment {
    /** DJL's names (environment variable or system property). */
    static final String OFFLINE_PROPERTY = "ai.djl.offline";
    static final String OFFLINE_ENV = "DJL_OFFLINE";
    static final String TRACKING = "OPT_OUT_TRACKING";
    static final String CACHE = "DJL_CACHE_DIR";
    static final String ENGINE_CACHE = "ENGINE_CACHE_DIR";

    private DjlEnvironment() {
    }

    /** Sets what the user has not set; call before the first DJL engine call (idempotent). */
    public static synchronized void configure() {
        setUnlessGiven(OFFLINE_ENV, OFFLINE_PROPERTY, "true");
        setUnlessGiven(TRACKING, TRACKING, "true");
        setUnlessGiven(CACHE, CACHE, cacheDir().toString());
    }

    /** The folder DJL caches into once {@link #configure()} ran: {@code ij-diffusion/djl} in the user's cache. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("ij-diffusion").resolve("djl");
    }

    /**
     * What the first engine start will unpack, or null when it is unpacked already (or no PyTorch native jar
     * is on the class path: then DJL reports that itself). DJL unpacks the natives of the
     * {@code pytorch-native-cpu} jar into {@code ENGINE_CACHE_DIR/pytorch/VERSION-FLAVOR-CLASSIFIER}.
     */
    public static Unpack pendingUnpack() {
        URL url = DjlEnvironment.class.getClassLoader().getResource("native/lib/pytorch.properties");
        if (url == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        Path dir = engineCacheDir().resolve("pytorch")
                .resolve(p.getProperty("version") + "-" + p.getProperty("flavor") + "-" + p.getProperty("classifier"));
        boolean complete = true;
        for (String lib : p.getProperty("libraries", "").split(",")) {
            if (!lib.isBlank() && !Files.isRegularFile(dir.resolve(lib.trim()))) {
                complete = false;
            }
        }
        return complete ? null : new Unpack(dir, unpackedBytes(url));
    }

    /** The natives to unpack: where to, and how many bytes (-1 when the jar cannot be measured). */
    public record Unpack(Path dir, long bytes) {
        /** E.g. "first start: unpacking PyTorch (452 MB, once) into /home/u/.cache/ij-diffusion/djl/...". */
        public String message() {
            String size = bytes > 0 ? " (" + (bytes + 500_000) / 1_000_000 + " MB, once)" : " (once)";
            return "first start: unpacking PyTorch" + size + " into " + dir;
        }
    }

    private static Path engineCacheDir() {
        String e = given(ENGINE_CACHE, ENGINE_CACHE);
        if (e != null && !e.isEmpty()) {
            return Paths.get(e);
        }
        String c = given(CACHE, CACHE);
        return c != null && !c.isEmpty() ? Paths.get(c) : Paths.get(System.getProperty("user.home"), ".djl.ai");
    }

    private static long unpackedBytes(URL properties) {
        try {
            URLConnection c = properties.openConnection();
            if (!(c instanceof JarURLConnection jc)) {
                return -1;
            }
            jc.setUseCaches(false);
            long sum = 0;
            try (JarFile jar = jc.getJarFile()) {
                for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements();) {
                    JarEntry entry = en.nextElement();
                    if (entry.getName().startsWith("pytorch/") && !entry.isDirectory()) {
                        sum += Math.max(0, entry.getSize());
                    }
                }
            }
            return sum;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void setUnlessGiven(String env, String property, String value) {
        if (given(env, property) == null) {
            System.setProperty(property, value);
        }
    }

    private static String given(String env, String property) {
        String e = System.getenv(env);
        return e != null ? e : System.getProperty(property);
    }
}
