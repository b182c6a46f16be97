package org.ijdiffusion.preprocessors;

import org.bytedeco.javacpp.Loader;

/** Loads the OpenCV natives (bundled in the org.bytedeco jars, no network) once per JVM. */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    /** Makes the official {@code org.opencv.*} API usable; cheap after the first call. */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (OpenCv.class) {
            if (!loaded) {
                try {
                    Loader.load(org.bytedeco.opencv.opencv_java.class);
                } catch (UnsatisfiedLinkError | RuntimeException e) {
                    throw new IllegalStateException("Could not load the OpenCV natives for platform "
                            + Loader.getPlatform() + ": add the org.bytedeco:opencv jar with the classifier "
                            + "for this platform (" + e.getMessage() + ")", e);
                }
                loaded = true;
            }
        }
    }

    /** The useful part of an OpenCV error ("error: (...) what" without the source path), one line. */
    public static String message(Throwable e) {
        String s = e.getMessage();
        if (s == null || s.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        if (nl >= 0) {
            t = t.substring(0, nl);
        }
        int err = t.indexOf("error: ");
        return err >= 0 ? t.substring(err + "error: ".length()) : t;
    }
}
