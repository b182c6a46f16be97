package org.ijdiffusion.preprocessors.pose;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenPose / ControlNet pose JSON: {@code {"canvas_width", "canvas_height", "people": [
 * {"pose_keypoints_2d": [x, y, c, ...]}]}}. 18 triples are the OpenPose layout (c = 0 means
 * missing); 17 triples are COCO-17 and are mapped (neck from the shoulders). A top-level array
 * (one entry per image) is accepted and its first entry read.
 */
public final class PoseJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private PoseJson() {
    }

    public static String write(Pose pose) {
        JsonObject root = new JsonObject();
        JsonArray people = new JsonArray();
        for (Person p : pose.people()) {
            JsonArray kp = new JsonArray();
            for (Keypoint k : p.keypoints()) {
                kp.add(k == null ? 0 : k.x());
                kp.add(k == null ? 0 : k.y());
                kp.add(k == null ? 0 : k.score());
            }
            JsonObject o = new JsonObject();
            o.add("pose_keypoints_2d", kp);
            people.add(o);
        }
        root.add("people", people);
        root.addProperty("canvas_width", pose.canvasWidth());
        root.addProperty("canvas_height", pose.canvasHeight());
        return GSON.toJson(root);
    }

    /** Parses pose JSON; throws IllegalArgumentException saying what is wrong. */
    public static Pose read(String json) {
        JsonElement el;
        try {
            el = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Pose JSON is not valid JSON: " + e.getMessage(), e);
        }
        if (el.isJsonArray() && el.getAsJsonArray().size() > 0) {
            el = el.getAsJsonArray().get(0);
        }
        if (!el.isJsonObject()) {
            throw new IllegalArgumentException("Pose JSON must be an object with \"people\", \"canvas_width\" "
                    + "and \"canvas_height\"");
        }
        JsonObject root = el.getAsJsonObject();
        int w = intField(root, "canvas_width");
        int h = intField(root, "canvas_height");
        List<Person> people = new ArrayList<>();
        JsonArray arr = root.has("people") && root.get("people").isJsonArray()
                ? root.getAsJsonArray("people") : new JsonArray();
        for (int n = 0; n < arr.size(); n++) {
            JsonObject p = arr.get(n).getAsJsonObject();
            if (!p.has("pose_keypoints_2d") || !p.get("pose_keypoints_2d").isJsonArray()) {
                throw new IllegalArgumentException("Pose JSON person " + n + " has no pose_keypoints_2d array");
            }
            people.add(person(p.getAsJsonArray("pose_keypoints_2d"), n));
        }
        return new Pose(w, h, people);
    }

    private static Person person(JsonArray a, int n) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).isJsonNull() ? 0 : a.get(i).getAsDouble();
        }
        if (v.length == 17 * 3) {
            return BodyLayout.fromCoco17(v);
        }
        if (v.length != BodyLayout.PARTS * 3) {
            throw new IllegalArgumentException("Pose JSON person " + n + " has " + v.length
                    + " numbers in pose_keypoints_2d; expected 54 (18 OpenPose keypoints) or 51 (17 COCO keypoints)");
        }
        Keypoint[] kp = new Keypoint[BodyLayout.PARTS];
        for (int j = 0; j < kp.length; j++) {
            if (v[3 * j + 2] > 0) {
                kp[j] = new Keypoint(v[3 * j], v[3 * j + 1], v[3 * j + 2]);
            }
        }
        return new Person(kp);
    }

    private static int intField(JsonObject o, String name) {
        if (!o.has(name) || !o.get(name).isJsonPrimitive()) {
            throw new IllegalArgumentException("Pose JSON needs \"" + name + "\" (the canvas size the keypoints refer to)");
        }
        return o.get(name).getAsInt();
    }
}
