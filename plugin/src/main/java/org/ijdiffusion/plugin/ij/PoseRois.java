package org.ijdiffusion.plugin.ij;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ijdiffusion.plugin.ij.core.PoseNames;
import org.ijdiffusion.preprocessors.pose.Animal;
import org.ijdiffusion.preprocessors.pose.BodyLayout;
import org.ijdiffusion.preprocessors.pose.Keypoint;
import org.ijdiffusion.preprocessors.pose.Person;
import org.ijdiffusion.preprocessors.pose.Pose;

/**
 * A pose as ImageJ point selections the user can drag: one named point per joint
 * ({@code person1/left_wrist}) and per face or hand point ({@code person1/left_hand_4}), one ROI
 * group per person, in the image's overlay; and back. Coordinates are the image's pixels.
 */
public final class PoseRois {
    private PoseRois() {
    }

    /** The pose's keypoints as an overlay of named, grouped points. */
    public static Overlay overlay(Pose pose) {
        Overlay o = new Overlay();
        for (int p = 0; p < pose.people().size(); p++) {
            Person person = pose.people().get(p);
            for (int j = 0; j < BodyLayout.PARTS; j++) {
                Keypoint k = person.keypoint(j);
                if (k == null) {
                    continue;
                }
                o.add(point(k, PoseNames.name(p, j), p));
            }
            extras(o, p, PoseNames.Extra.FACE, person.face());
            extras(o, p, PoseNames.Extra.LEFT_HAND, person.leftHand());
            extras(o, p, PoseNames.Extra.RIGHT_HAND, person.rightHand());
        }
        for (int a = 0; a < pose.animals().size(); a++) {
            List<Keypoint> points = pose.animals().get(a).keypoints();
            for (int i = 0; i < points.size(); i++) {
                if (points.get(i) != null) {
                    o.add(point(points.get(i), PoseNames.animalName(a, i), 127 + a));
                }
            }
        }
        return o;
    }

    private static void extras(Overlay o, int p, PoseNames.Extra extra, List<Keypoint> points) {
        for (int i = 0; i < points.size(); i++) {
            Keypoint k = points.get(i);
            if (k != null) {
                PointRoi r = point(k, PoseNames.name(p, extra, i), p);
                r.setProperty("points", Integer.toString(points.size())); // the list's length (face: 68 or 70)
                o.add(r);
            }
        }
    }

    private static PointRoi point(Keypoint k, String name, int person) {
        PointRoi r = new PointRoi(k.x(), k.y());
        r.setName(name);
        r.setGroup(Math.min(255, person + 1));
        r.setProperty("score", Double.toString(k.score()));
        return r;
    }

    /**
     * The pose of an image: its overlay's named points, or (when there are none) the ROI Manager's.
     * Points keep their joint by name; unnamed points are ignored.
     */
    public static Pose read(ImagePlus imp) {
        List<Roi> rois = new ArrayList<>();
        if (imp.getOverlay() != null) {
            rois.addAll(List.of(imp.getOverlay().toArray()));
        }
        if (imp.getRoi() != null) {
            rois.add(imp.getRoi());
        }
        Pose pose = fromRois(rois, imp.getWidth(), imp.getHeight());
        if (pose.people().isEmpty() && pose.animals().isEmpty() && !java.awt.GraphicsEnvironment.isHeadless()) {
            RoiManager rm = RoiManager.getInstance(); // (headless ImageJ has no ROI Manager)
            if (rm != null) {
                pose = fromRois(List.of(rm.getRoisAsArray()), imp.getWidth(), imp.getHeight());
            }
        }
        return pose;
    }

    static Pose fromRois(List<Roi> rois, int width, int height) {
        Map<Integer, Keypoint[]> people = new TreeMap<>();
        Map<Integer, Map<PoseNames.Extra, Keypoint[]>> extras = new TreeMap<>();
        Map<Integer, Keypoint[]> animals = new TreeMap<>();
        for (Roi r : rois) {
            if (r.getType() != Roi.POINT || r.getFloatPolygon().npoints == 0) {
                continue;
            }
            int[] animal = PoseNames.parseAnimal(r.getName());
            if (animal != null) {
                if (animal[1] < Animal.POINTS) {
                    animals.computeIfAbsent(animal[0], n -> new Keypoint[Animal.POINTS])[animal[1]] =
                            new Keypoint(r.getFloatPolygon().xpoints[0], r.getFloatPolygon().ypoints[0], score(r));
                }
                continue;
            }
            PoseNames.Id id = PoseNames.parse(r.getName());
            PoseNames.ExtraId extra = id == null ? PoseNames.parseExtra(r.getName()) : null;
            if (id == null && extra == null) {
                continue;
            }
            Keypoint k = new Keypoint(r.getFloatPolygon().xpoints[0], r.getFloatPolygon().ypoints[0], score(r));
            if (id != null) {
                people.computeIfAbsent(id.person(), n -> new Keypoint[BodyLayout.PARTS])[id.joint()] = k;
                continue;
            }
            int size = extra.extra() == PoseNames.Extra.FACE ? Math.max(extra.index() + 1, intProperty(r, "points"))
                    : Person.HAND_POINTS;
            if (extra.index() >= size) {
                continue; // a hand has 21 points
            }
            Map<PoseNames.Extra, Keypoint[]> mine = extras.computeIfAbsent(extra.person(),
                    n -> new EnumMap<>(PoseNames.Extra.class));
            Keypoint[] list = mine.get(extra.extra());
            if (list == null || list.length < size) {
                Keypoint[] grown = new Keypoint[size];
                if (list != null) {
                    System.arraycopy(list, 0, grown, 0, list.length);
                }
                list = grown;
                mine.put(extra.extra(), list);
            }
            list[extra.index()] = k;
            people.computeIfAbsent(extra.person(), n -> new Keypoint[BodyLayout.PARTS]);
        }
        List<Person> list = new ArrayList<>();
        people.forEach((n, body) -> {
            Map<PoseNames.Extra, Keypoint[]> mine = extras.getOrDefault(n, Map.of());
            list.add(new Person(body, mine.get(PoseNames.Extra.FACE), mine.get(PoseNames.Extra.LEFT_HAND),
                    mine.get(PoseNames.Extra.RIGHT_HAND)));
        });
        List<Animal> animalList = new ArrayList<>();
        animals.values().forEach(a -> animalList.add(new Animal(java.util.Arrays.asList(a))));
        return new Pose(width, height, list, animalList);
    }

    private static double score(Roi r) {
        String s = r.getProperty("score");
        if (s != null) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // a hand-made point: full confidence
            }
        }
        return 1.0;
    }

    private static int intProperty(Roi r, String name) {
        try {
            String s = r.getProperty(name);
            return s == null ? 0 : Math.min(1000, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
