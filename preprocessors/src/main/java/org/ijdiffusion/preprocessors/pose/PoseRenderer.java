package org.ijdiffusion.preprocessors.pose;

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
 * Draws poses the way the OpenPose ControlNet (v1.1) was trained: limbs as filled ellipses of
 * half-width 4 in the limb colour, the canvas then dimmed to 60 %, then joints as filled circles of
 * radius 4. Coordinates are truncated to whole pixels; anything outside the canvas is clipped.
 */
public final class PoseRenderer {
    static final int STICK_WIDTH = 4;
    static final int JOINT_RADIUS = 4;
    static final double DIM = 0.6;

    private PoseRenderer() {
    }

    /** The map at the pose's own canvas size. */
    public static RgbImage render(Pose pose) {
        return renderAt(pose, pose.canvasWidth(), pose.canvasHeight());
    }

    /**
     * Draws on a {@code width x height} canvas with the keypoints scaled from the pose canvas (what
     * pose editors do when the generation size differs from the canvas).
     */
    public static RgbImage renderAt(Pose pose, int width, int height) {
        OpenCv.load();
        double sx = width / (double) pose.canvasWidth();
        double sy = height / (double) pose.canvasHeight();
        Mat canvas = new Mat(height, width, CvType.CV_8UC3, Scalar.all(0));
        try {
            for (int i = 0; i < BodyLayout.DRAWN_LIMBS; i++) {
                for (Person p : pose.people()) {
                    Keypoint a = p.keypoint(BodyLayout.LIMBS[i][0]);
                    Keypoint b = p.keypoint(BodyLayout.LIMBS[i][1]);
                    if (a != null && b != null) {
                        drawLimb(canvas, a.x() * sx, a.y() * sy, b.x() * sx, b.y() * sy, BodyLayout.COLORS[i]);
                    }
                }
            }
            dim(canvas);
            for (int j = 0; j < BodyLayout.PARTS; j++) {
                for (Person p : pose.people()) {
                    Keypoint k = p.keypoint(j);
                    if (k != null) {
                        Point c = new Point((int) (k.x() * sx), (int) (k.y() * sy));
                        Imgproc.circle(canvas, c, JOINT_RADIUS, color(BodyLayout.COLORS[j]), -1);
                    }
                }
            }
            return Mats.toRgbImage(canvas);
        } finally {
            canvas.release();
        }
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

    private static void drawLimb(Mat canvas, double x0, double y0, double x1, double y1, int rgb) {
        double len = Math.sqrt((x0 - x1) * (x0 - x1) + (y0 - y1) * (y0 - y1));
        int angle = (int) Math.toDegrees(Math.atan2(y0 - y1, x0 - x1));
        Point centre = new Point((int) ((x0 + x1) / 2), (int) ((y0 + y1) / 2));
        MatOfPoint poly = new MatOfPoint();
        try {
            Imgproc.ellipse2Poly(centre, new Size((int) (len / 2), STICK_WIDTH), angle, 0, 360, 1, poly);
            Imgproc.fillConvexPoly(canvas, poly, color(rgb));
        } finally {
            poly.release();
        }
    }

    /** value = floor(value * 0.6) on every channel. */
    private static void dim(Mat canvas) {
        byte[] px = new byte[(int) canvas.total() * canvas.channels()];
        canvas.get(0, 0, px);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (int) ((px[i] & 0xFF) * DIM);
        }
        canvas.put(0, 0, px);
    }

    private static Scalar color(int rgb) {
        return new Scalar((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }
}
