package org.ijdiffusion.preprocessors.pose;

import java.util.List;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.Mats;
import org.ijdiffusion.preprocessors.OpenCv;
import org.ijdiffusion.preprocessors.RgbImage;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Draws poses as sd-webui-controlnet's openpose / openpose_full preprocessors do (its
 * {@code draw_poses}): person after person, the body's limbs as filled ellipses of half-width 4 in
 * the limb colour at 60 % (truncated), then the body's joints as filled circles of radius 4, then
 * each hand (20 edges 2 px wide coloured by hue e/20, joints blue circles of radius 4), then the
 * face (white circles of radius 3); hand and face points at x or y 0 are skipped, as there. Animals
 * (AP10K) are drawn after the people as 5 px lines in the AP10K colours. Coordinates are canvas
 * pixels truncated to whole pixels; anything outside the canvas is clipped.
 */
public final class PoseRenderer {
    static final int STICK_WIDTH = 4;
    static final int JOINT_RADIUS = 4;
    static final double DIM = 0.6;
    static final int HAND_JOINT_RADIUS = 4;
    static final int HAND_LINE = 2;
    static final int FACE_RADIUS = 3;
    static final int ANIMAL_LINE = 5;
    /** sd-webui-controlnet's {@code eps}: hand/face points must be past it on both axes. */
    private static final double EPS = 0.01;

    /** Hand edges (OpenPose hand layout: wrist 0, then 4 points per finger from the thumb). */
    static final int[][] HAND_EDGES = {
        {0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 6}, {6, 7}, {7, 8}, {0, 9}, {9, 10},
        {10, 11}, {11, 12}, {0, 13}, {13, 14}, {14, 15}, {15, 16}, {0, 17}, {17, 18}, {18, 19}, {19, 20}};

    /** AP10K limbs (0-based) and their colours (RGB). */
    static final int[][] ANIMAL_LIMBS = {
        {0, 1}, {1, 2}, {0, 2}, {2, 3}, {3, 8}, {8, 9}, {9, 10}, {3, 5}, {5, 6}, {6, 7}, {3, 4}, {4, 14},
        {14, 15}, {15, 16}, {4, 11}, {11, 12}, {12, 13}};
    static final int[] ANIMAL_COLORS = {
        0xFFFFFF, 0x64FF64, 0x96FFFF, 0x6432FF, 0x3296C8, 0x00FFFF, 0x009600, 0x0000FF, 0x000096,
        0xFF32FF, 0xFF00FF, 0xFF0000, 0x960000, 0xFFFF64, 0x009600, 0xFFFF00, 0x969696};

    private PoseRenderer() {
    }

    /** The map at the pose's own canvas size. */
    public static RgbImage render(Pose pose) {
        OpenCv.load();
        Mat canvas = new Mat(pose.canvasHeight(), pose.canvasWidth(), CvType.CV_8UC3, Scalar.all(0));
        try {
            for (Person p : pose.people()) {
                drawBody(canvas, p);
                drawHand(canvas, p.leftHand());
                drawHand(canvas, p.rightHand());
                drawFace(canvas, p.face());
            }
            for (Animal a : pose.animals()) {
                drawAnimal(canvas, a);
            }
            return Mats.toRgbImage(canvas);
        } finally {
            canvas.release();
        }
    }

    /**
     * Draws on a {@code width x height} canvas with the keypoints scaled from the pose canvas (what
     * pose editors do when the generation size differs from the canvas).
     */
    public static RgbImage renderAt(Pose pose, int width, int height) {
        return render(pose.scaledTo(width, height));
    }

    /** The control-map pipeline: draw at the canvas (detect) size, then resize bilinearly. */
    public static RgbImage renderResized(Pose pose, int width, int height) {
        RgbImage atCanvas = render(pose);
        if (width == pose.canvasWidth() && height == pose.canvasHeight()) {
            return atCanvas;
        }
        Mat m = Mats.toRgbMat(atCanvas);
        Mat r = DetectResolution.resizeMap(m, width, height);
        try {
            return Mats.toRgbImage(r);
        } finally {
            m.release();
            r.release();
        }
    }

    private static void drawBody(Mat canvas, Person p) {
        for (int i = 0; i < BodyLayout.DRAWN_LIMBS; i++) {
            Keypoint a = p.keypoint(BodyLayout.LIMBS[i][0]);
            Keypoint b = p.keypoint(BodyLayout.LIMBS[i][1]);
            if (a != null && b != null) {
                drawLimb(canvas, a.x(), a.y(), b.x(), b.y(), dimmed(BodyLayout.COLORS[i]));
            }
        }
        for (int j = 0; j < BodyLayout.PARTS; j++) {
            Keypoint k = p.keypoint(j);
            if (k != null) {
                Imgproc.circle(canvas, new Point((int) k.x(), (int) k.y()), JOINT_RADIUS, color(BodyLayout.COLORS[j]), -1);
            }
        }
    }

    private static void drawHand(Mat canvas, List<Keypoint> hand) {
        if (hand.isEmpty()) {
            return;
        }
        for (int e = 0; e < HAND_EDGES.length; e++) {
            Keypoint a = hand.get(HAND_EDGES[e][0]);
            Keypoint b = hand.get(HAND_EDGES[e][1]);
            if (a == null || b == null) {
                continue;
            }
            int x1 = (int) a.x();
            int y1 = (int) a.y();
            int x2 = (int) b.x();
            int y2 = (int) b.y();
            if (x1 > EPS && y1 > EPS && x2 > EPS && y2 > EPS) {
                Imgproc.line(canvas, new Point(x1, y1), new Point(x2, y2), handEdgeColor(e), HAND_LINE);
            }
        }
        dots(canvas, hand, HAND_JOINT_RADIUS, new Scalar(0, 0, 255));
    }

    private static void drawFace(Mat canvas, List<Keypoint> face) {
        dots(canvas, face, FACE_RADIUS, new Scalar(255, 255, 255));
    }

    private static void dots(Mat canvas, List<Keypoint> points, int radius, Scalar colour) {
        for (Keypoint k : points) {
            if (k == null) {
                continue;
            }
            int x = (int) k.x();
            int y = (int) k.y();
            if (x > EPS && y > EPS) {
                Imgproc.circle(canvas, new Point(x, y), radius, colour, -1);
            }
        }
    }

    private static void drawAnimal(Mat canvas, Animal a) {
        for (int i = 0; i < ANIMAL_LIMBS.length; i++) {
            Keypoint p = a.keypoints().get(ANIMAL_LIMBS[i][0]);
            Keypoint q = a.keypoints().get(ANIMAL_LIMBS[i][1]);
            if (p != null && q != null) {
                Imgproc.line(canvas, new Point((int) p.x(), (int) p.y()), new Point((int) q.x(), (int) q.y()),
                        color(ANIMAL_COLORS[i]), ANIMAL_LINE);
            }
        }
    }

    /**
     * Edge {@code e}'s colour: HSV(e/20, 1, 1) as RGB times 255, computed as matplotlib's
     * {@code hsv_to_rgb} does, left as fractions (OpenCV rounds them when it draws).
     */
    static Scalar handEdgeColor(int e) {
        double h = e / (double) HAND_EDGES.length;
        int i = (int) (h * 6.0);
        double f = h * 6.0 - i;
        double v = 1.0;
        double p = v * (1.0 - 1.0);
        double q = v * (1.0 - 1.0 * f);
        double t = v * (1.0 - 1.0 * (1.0 - f));
        double[] rgb = switch (i % 6) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        return new Scalar(rgb[0] * 255, rgb[1] * 255, rgb[2] * 255);
    }

    private static void drawLimb(Mat canvas, double x0, double y0, double x1, double y1, Scalar colour) {
        double len = Math.sqrt((y0 - y1) * (y0 - y1) + (x0 - x1) * (x0 - x1));
        int angle = (int) Math.toDegrees(Math.atan2(y0 - y1, x0 - x1));
        Point centre = new Point((int) ((x0 + x1) / 2), (int) ((y0 + y1) / 2));
        MatOfPoint poly = new MatOfPoint();
        try {
            Imgproc.ellipse2Poly(centre, new Size((int) (len / 2), STICK_WIDTH), angle, 0, 360, 1, poly);
            Imgproc.fillConvexPoly(canvas, poly, colour);
        } finally {
            poly.release();
        }
    }

    /** The limb colour: each channel times 0.6, truncated. */
    private static Scalar dimmed(int rgb) {
        return new Scalar((int) (((rgb >> 16) & 0xFF) * DIM), (int) (((rgb >> 8) & 0xFF) * DIM), (int) ((rgb & 0xFF) * DIM));
    }

    private static Scalar color(int rgb) {
        return new Scalar((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }
}
