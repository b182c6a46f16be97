package org.ijdiffusion.plugin.ij;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ijdiffusion.plugin.ij.core.PoseNames;
import org.ijdiffusion.preprocessors.pose.BodyLayout;
import org.ijdiffusion.preprocessors.pose.Keypoint;
import org.ijdiffusion.preprocessors.pose.Person;
import org.ijdiffusion.preprocessors.pose.Pose;

/**
 * A pose as ImageJ point selections the user can drag: one named point per joint
 * ({@code person1/left_wrist}), one ROI group per person, in the image's overlay; and back.
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
                PointRoi r = new PointRoi(k.x(), k.y());
                r.setName(PoseNames.name(p, j));
                r.setGroup(Math.min(255, p + 1));
                r.setProperty("score", Double.toString(k.score()));
                o.add(r);
            }
        }
        return o;
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
        if (pose.people().isEmpty() && !java.awt.GraphicsEnvironment.isHeadless()) {
            RoiManager rm = RoiManager.getInstance(); // (headless ImageJ has no ROI Manager)
            if (rm != null) {
                pose = fromRois(List.of(rm.getRoisAsArray()), imp.getWidth(), imp.getHeight());
            }
        }
        return pose;
    }

    static Pose fromRois(List<Roi> rois, int width, int height) {
        Map<Integer, Keypoint[]> people = new TreeMap<>();
        for (Roi r : rois) {
            PoseNames.Id id = PoseNames.parse(r.getName());
            if (id == null || r.getType() != Roi.POINT) {
                continue;
            }
            java.awt.geom.Point2D.Double c = ((PointRoi) r).getFloatPolygon().npoints > 0
                    ? new java.awt.geom.Point2D.Double(r.getFloatPolygon().xpoints[0], r.getFloatPolygon().ypoints[0])
                    : null;
            if (c == null) {
                continue;
            }
            double score = 1.0;
            String s = r.getProperty("score");
            if (s != null) {
                try {
                    score = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    // a hand-made point: full confidence
                }
            }
            people.computeIfAbsent(id.person(), k -> new Keypoint[BodyLayout.PARTS])[id.joint()] =
                    new Keypoint(c.x, c.y, score);
        }
        List<Person> list = new ArrayList<>();
        people.values().forEach(k -> list.add(new Person(k)));
        return new Pose(width, height, list);
    }
}
