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
 * Pose JSON, both ways. Written as sd-webui-controlnet's importer reads it: {@code canvas_width},
 * {@code canvas_height}, {@code people[].pose_keypoints_2d} (and face / hand arrays when known) as
 * flat x, y, c triples in canvas pixels with c = 1 for a present point and 0, 0, 0 for a missing one
 * (its importer drops points with c &lt; 1), plus {@code animals}. Read: sd-webui-controlnet's files
 * (normalised 0..1 or pixel coordinates) and CMU OpenPose's (BODY_25 or COCO-18, no canvas size);
 * see {@link PoseJsonReader}.
 */
public final class PoseJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private PoseJson() {
    }

    /** What was read, and the warnings (unknown keys, ignored parts) to show the user. */
    public record Decoded(Pose pose, List<String> warnings) {
        public Decoded {
            warnings = List.copyOf(warnings);
        }
    }

    public static String write(Pose pose) {
        JsonObject root = new JsonObject();
        JsonArray people = new JsonArray();
        for (Person p : pose.people()) {
            JsonObject o = new JsonObject();
            o.add("pose_keypoints_2d", triples(p.keypoints()));
            if (!p.face().isEmpty()) {
                o.add("face_keypoints_2d", triples(p.face()));
            }
            if (!p.leftHand().isEmpty()) {
                o.add("hand_left_keypoints_2d", triples(p.leftHand()));
            }
            if (!p.rightHand().isEmpty()) {
                o.add("hand_right_keypoints_2d", triples(p.rightHand()));
            }
            people.add(o);
        }
        root.add("people", people);
        JsonArray animals = new JsonArray();
        pose.animals().forEach(a -> animals.add(triples(a.keypoints())));
        root.add("animals", animals);
        root.addProperty("canvas_width", pose.canvasWidth());
        root.addProperty("canvas_height", pose.canvasHeight());
        return GSON.toJson(root);
    }

    private static JsonArray triples(List<Keypoint> points) {
        JsonArray kp = new JsonArray();
        for (Keypoint k : points) {
            kp.add(k == null ? 0.0 : k.x());
            kp.add(k == null ? 0.0 : k.y());
            kp.add(k == null ? 0.0 : 1.0);
        }
        return kp;
    }

    /** Parses pose JSON with a canvas size; throws IllegalArgumentException saying what is wrong. Warnings are dropped. */
    public static Pose read(String json) {
        return decode(json, 0, 0).pose();
    }

    /**
     * Parses pose JSON. {@code fallbackWidth x fallbackHeight} is the canvas when the file names none
     * (CMU OpenPose writes none: the size of the image it was made from); 0 when unknown, and then
     * such a file is refused.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Decoded decode(String json, int fallbackWidth, int fallbackHeight) {
        JsonElement el;
        try {
            el = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Pose JSON is not valid JSON: " + e.getMessage(), e);
        }
        List<String> warnings = new ArrayList<>();
        if (el.isJsonArray() && el.getAsJsonArray().size() > 0) {
            if (el.getAsJsonArray().size() > 1) {
                warnings.add("the pose JSON holds " + el.getAsJsonArray().size() + " poses; only the first is read");
            }
            el = el.getAsJsonArray().get(0);
        }
        if (!el.isJsonObject()) {
            throw new IllegalArgumentException("Pose JSON must be an object with \"people\", \"canvas_width\" "
                    + "and \"canvas_height\"");
        }
        Pose pose = new PoseJsonReader(el.getAsJsonObject(), fallbackWidth, fallbackHeight, warnings).read();
        return new Decoded(pose, warnings);
    }
}
