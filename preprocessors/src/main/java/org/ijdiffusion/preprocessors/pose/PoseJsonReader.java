package org.ijdiffusion.preprocessors.pose;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one pose object. sd-webui-controlnet's layout: {@code canvas_width/height},
 * {@code people[]} with {@code pose_keypoints_2d} (18 COCO points), {@code face_keypoints_2d},
 * {@code hand_left_keypoints_2d}, {@code hand_right_keypoints_2d} and {@code animals[]} (17 AP10K
 * points each). CMU OpenPose's: no canvas size, 25 BODY_25 or 18 COCO body points with confidences
 * in 0..1, {@code version}, {@code person_id} and {@code *_3d} arrays. COCO-17 (51 numbers) is mapped
 * as well. Each keypoint list is normalised, as sd-webui-controlnet decides it, when every present
 * point has |x| and |y| at most 1: it is then multiplied by the canvas size. A point is present when
 * its confidence is above 0 (CMU's convention; sd-webui-controlnet's own files only hold 0 and 1).
 */
final class PoseJsonReader {
    /** BODY_25 index -> COCO-18 index; -1 for the points COCO-18 has not (mid-hip, feet). */
    static final int[] BODY25_TO_COCO18 = {
        0, 1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, -1, -1, -1, -1, -1, -1};

    private static final Set<String> ROOT_KEYS = Set.of("people", "animals", "canvas_width", "canvas_height",
            "version");
    private static final Set<String> PERSON_KEYS = Set.of("pose_keypoints_2d", "face_keypoints_2d",
            "hand_left_keypoints_2d", "hand_right_keypoints_2d", "person_id");
    private static final List<String> PERSON_3D_KEYS = List.of("pose_keypoints_3d", "face_keypoints_3d",
            "hand_left_keypoints_3d", "hand_right_keypoints_3d");

    private final JsonObject root;
    private final int fallbackWidth;
    private final int fallbackHeight;
    private final List<String> warnings;
    private int width;
    private int height;

    PoseJsonReader(JsonObject root, int fallbackWidth, int fallbackHeight, List<String> warnings) {
        this.root = root;
        this.fallbackWidth = fallbackWidth;
        this.fallbackHeight = fallbackHeight;
        this.warnings = warnings;
    }

    Pose read() {
        canvas();
        Set<String> unknown = new LinkedHashSet<>();
        for (String k : root.keySet()) {
            if (!ROOT_KEYS.contains(k)) {
                unknown.add(k);
            }
        }
        unknown.forEach(k -> warnings.add("pose JSON: unknown key '" + k + "' ignored"));
        List<Person> people = new ArrayList<>();
        JsonArray arr = array(root, "people", "the pose JSON");
        Set<String> unknownPersonKeys = new LinkedHashSet<>();
        Set<String> ignored3d = new LinkedHashSet<>();
        for (int n = 0; n < arr.size(); n++) {
            if (!arr.get(n).isJsonObject()) {
                throw new IllegalArgumentException("Pose JSON person " + n + " is not an object");
            }
            JsonObject p = arr.get(n).getAsJsonObject();
            for (String k : p.keySet()) {
                if (PERSON_3D_KEYS.contains(k)) {
                    if (p.get(k).isJsonArray() && p.getAsJsonArray(k).size() > 0) {
                        ignored3d.add(k);
                    }
                } else if (!PERSON_KEYS.contains(k)) {
                    unknownPersonKeys.add(k);
                }
            }
            people.add(person(p, n));
        }
        unknownPersonKeys.forEach(k -> warnings.add("pose JSON: unknown key '" + k + "' in people[] ignored"));
        ignored3d.forEach(k -> warnings.add("pose JSON: '" + k + "' ignored (3-D keypoints are not drawn)"));
        List<Animal> animals = new ArrayList<>();
        JsonArray an = array(root, "animals", "the pose JSON");
        for (int n = 0; n < an.size(); n++) {
            String what = "animals[" + n + "]";
            double[] v = numbers(an.get(n), what);
            if (v.length != Animal.POINTS * 3) {
                throw new IllegalArgumentException("Pose JSON " + what + " has " + v.length + " numbers; expected "
                        + Animal.POINTS * 3 + " (17 AP10K animal keypoints, x, y, confidence)");
            }
            animals.add(new Animal(java.util.Arrays.asList(points(v, what))));
        }
        if (people.isEmpty() && animals.isEmpty()) {
            warnings.add("pose JSON: no people and no animals in it (the map is black)");
        }
        return new Pose(width, height, people, animals);
    }

    private void canvas() {
        boolean hasW = root.has("canvas_width") && !root.get("canvas_width").isJsonNull();
        boolean hasH = root.has("canvas_height") && !root.get("canvas_height").isJsonNull();
        if (hasW && hasH) {
            width = size(root.get("canvas_width"), "canvas_width");
            height = size(root.get("canvas_height"), "canvas_height");
        } else if (fallbackWidth > 0 && fallbackHeight > 0) {
            width = fallbackWidth;
            height = fallbackHeight;
            warnings.add("pose JSON names no canvas_width/canvas_height (as CMU OpenPose writes it): canvas taken as "
                    + width + "x" + height);
        } else {
            throw new IllegalArgumentException("Pose JSON needs \"canvas_width\" and \"canvas_height\" (the canvas "
                    + "size the keypoints refer to); a CMU OpenPose file has none: give the size of the image it "
                    + "was made from");
        }
    }

    private static int size(JsonElement e, String name) {
        double d;
        try {
            d = e.getAsDouble();
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("Pose JSON \"" + name + "\" must be a number, got " + e);
        }
        if (d != Math.rint(d) || d < 1 || d > 1 << 16) {
            throw new IllegalArgumentException("Pose JSON \"" + name + "\" must be a whole number of pixels from 1 "
                    + "to 65536, got " + e);
        }
        return (int) d;
    }

    private Person person(JsonObject p, int n) {
        String who = "person " + n;
        double[] body = numbers(p.get("pose_keypoints_2d"), who + " pose_keypoints_2d");
        double[] face = numbers(p.get("face_keypoints_2d"), who + " face_keypoints_2d");
        double[] left = numbers(p.get("hand_left_keypoints_2d"), who + " hand_left_keypoints_2d");
        double[] right = numbers(p.get("hand_right_keypoints_2d"), who + " hand_right_keypoints_2d");
        if (body.length == 0 && face.length == 0 && left.length == 0 && right.length == 0) {
            throw new IllegalArgumentException("Pose JSON " + who + " has no pose_keypoints_2d array");
        }
        Keypoint[] kp = new Keypoint[BodyLayout.PARTS];
        if (body.length == BodyLayout.PARTS * 3) {
            kp = points(body, who + " pose_keypoints_2d");
        } else if (body.length == 25 * 3) {
            Keypoint[] b25 = points(body, who + " pose_keypoints_2d");
            for (int i = 0; i < b25.length; i++) {
                if (BODY25_TO_COCO18[i] >= 0) {
                    kp[BODY25_TO_COCO18[i]] = b25[i];
                }
            }
        } else if (body.length == 17 * 3) {
            normalise(body, who + " pose_keypoints_2d");
            return withExtras(BodyLayout.fromCoco17(body), face, left, right, who);
        } else if (body.length != 0) {
            throw new IllegalArgumentException("Pose JSON " + who + " has " + body.length
                    + " numbers in pose_keypoints_2d; expected 54 (18 OpenPose COCO keypoints), 75 (25 BODY_25 "
                    + "keypoints) or 51 (17 COCO keypoints)");
        }
        return new Person(kp, face.length == 0 ? null : points(face, who + " face_keypoints_2d"),
                hand(left, who + " hand_left_keypoints_2d"),
                hand(right, who + " hand_right_keypoints_2d"));
    }

    private Person withExtras(Person body, double[] face, double[] left, double[] right, String who) {
        Keypoint[] kp = body.keypoints().toArray(new Keypoint[0]);
        return new Person(kp, face.length == 0 ? null : points(face, who + " face_keypoints_2d"),
                hand(left, who + " hand_left_keypoints_2d"),
                hand(right, who + " hand_right_keypoints_2d"));
    }

    private Keypoint[] hand(double[] v, String what) {
        if (v.length == 0) {
            return null;
        }
        if (v.length != Person.HAND_POINTS * 3) {
            throw new IllegalArgumentException("Pose JSON " + what + " has " + v.length + " numbers; expected "
                    + Person.HAND_POINTS * 3 + " (21 hand keypoints, x, y, confidence)");
        }
        return points(v, what);
    }

    /** Triples to keypoints in canvas pixels (normalised lists scaled), null where confidence <= 0. */
    private Keypoint[] points(double[] v, String what) {
        normalise(v, what);
        Keypoint[] kp = new Keypoint[v.length / 3];
        for (int j = 0; j < kp.length; j++) {
            if (v[3 * j + 2] > 0) {
                kp[j] = new Keypoint(v[3 * j], v[3 * j + 1], v[3 * j + 2]);
            }
        }
        return kp;
    }

    /**
     * sd-webui-controlnet's is_normalized: every present point within [-1, 1] on both axes. A list
     * that just misses it (all within [-2, 2], on a canvas of at least 8 px) is read as pixels as
     * there, with a warning: it is most likely normalised with a point off the canvas.
     */
    private void normalise(double[] v, String what) {
        boolean any = false;
        boolean normalised = true;
        double max = 0;
        for (int j = 0; j < v.length / 3; j++) {
            if (v[3 * j + 2] > 0) {
                any = true;
                double m = Math.max(Math.abs(v[3 * j]), Math.abs(v[3 * j + 1]));
                normalised &= m <= 1;
                max = Math.max(max, Double.isNaN(m) ? Double.POSITIVE_INFINITY : m);
            }
        }
        if (!any) {
            return;
        }
        if (!normalised) {
            if (max <= 2 && Math.min(width, height) >= 8) {
                warnings.add("pose JSON " + what + ": the coordinates look normalised but some lie outside -1..1 (up to "
                        + String.format(java.util.Locale.ROOT, "%.3f", max) + "), so they are read as pixels, as "
                        + "sd-webui-controlnet reads them: this part is drawn in the top-left corner");
            }
            return;
        }
        for (int j = 0; j < v.length / 3; j++) {
            v[3 * j] = v[3 * j] * width;
            v[3 * j + 1] = v[3 * j + 1] * height;
        }
    }

    private static JsonArray array(JsonObject o, String key, String where) {
        if (!o.has(key) || o.get(key).isJsonNull()) {
            return new JsonArray();
        }
        if (!o.get(key).isJsonArray()) {
            throw new IllegalArgumentException("\"" + key + "\" in " + where + " must be an array");
        }
        return o.getAsJsonArray(key);
    }

    /** A flat number array (absent, null or empty: no numbers); a length that is no multiple of 3 is refused. */
    private static double[] numbers(JsonElement e, String what) {
        if (e == null || e.isJsonNull()) {
            return new double[0];
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("Pose JSON " + what + " must be an array of numbers");
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() % 3 != 0) {
            throw new IllegalArgumentException("Pose JSON " + what + " has " + a.size()
                    + " numbers, not x, y, confidence triples");
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            JsonElement x = a.get(i);
            if (x.isJsonNull()) {
                continue;
            }
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException("Pose JSON " + what + " holds " + x + ", not a number");
            }
            v[i] = x.getAsDouble();
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("Pose JSON " + what + " holds " + x + ", not a finite number");
            }
        }
        return v;
    }
}
