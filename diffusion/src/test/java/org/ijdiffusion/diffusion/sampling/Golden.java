package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.testutil.TestData;

/** Test helpers: golden json files and array differences. */
final class Golden {
    private Golden() {
    }

    static Path components() {
        return TestData.golden().resolve("components");
    }

    static Path pipelines() {
        return TestData.golden().resolve("pipelines");
    }

    static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** A json number array as floats, or null for json null. */
    static float[] floats(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.get(i).getAsFloat();
        }
        return f;
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    /** max |a - b| / max(1, max |b|): the difference in units of the reference's scale. */
    static double relDiff(NDArray a, NDArray b) {
        float[] ref = b.toFloatArray();
        double scale = 1;
        for (float v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        return maxDiff(a.toFloatArray(), ref) / scale;
    }

    static double maxDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        return maxDiff(a.toFloatArray(), b.toFloatArray());
    }
}
