package org.ijdiffusion.plugin.ij.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.canny.CannyDetector;
import org.ijdiffusion.preprocessors.depth.DepthEstimator;
import org.ijdiffusion.preprocessors.depth.DepthModelKind;
import org.ijdiffusion.preprocessors.pose.Pose;
import org.ijdiffusion.preprocessors.pose.PoseDetector;

/** ControlNet maps from an image, with the preprocessors' defaults. No ImageJ here. */
public final class ControlMaps {
    /** The preprocessors a ControlNet unit can apply (labels are the macro values). */
    public enum Kind {
        NONE("none"), CANNY("canny"), DEPTH("depth"), OPENPOSE("openpose");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * The sd-webui-controlnet module id of what this preprocessor actually runs, for the infotext's
         * {@code Module:} (depth: the Depth Anything V2 network, see {@link ControlMaps#map}).
         */
        public String module() {
            return this == DEPTH ? "depth_anything_v2" : label;
        }

        /** {@link #module()} of a preprocessor label. */
        public static String moduleOf(String label) {
            return fromLabel(label).module();
        }

        public static List<String> labels() {
            return Arrays.stream(values()).map(Kind::label).toList();
        }

        public static Kind fromLabel(String s) {
            return values()[labels().indexOf(Choices.canonical("preprocessor", s, labels()))];
        }
    }

    /** A pose (in the image's pixels) and its rendered map. */
    public record PoseMap(Pose pose, RgbImage map) {
    }

    private ControlMaps() {
    }

    /** The control map of {@code image} at its own size. {@code model} is needed for depth, optional for openpose. */
    public static RgbImage map(Kind kind, RgbImage image, Path model) {
        return switch (kind) {
            case NONE -> image;
            case CANNY -> canny(image, CannyDetector.DEFAULT_LOW, CannyDetector.DEFAULT_HIGH, DetectResolution.DEFAULT);
            case DEPTH -> depth(image, model, DepthModelKind.DEPTH_ANYTHING_V2, DetectResolution.DEFAULT);
            case OPENPOSE -> openpose(image, model, DetectResolution.DEFAULT).map();
        };
    }

    public static RgbImage canny(RgbImage image, int low, int high, int resolution) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("Canny thresholds need 0 <= low <= high (got " + low + ", " + high + ")");
        }
        return CannyDetector.map(image, low, high, resolution, image.width(), image.height());
    }

    public static RgbImage depth(RgbImage image, Path model, DepthModelKind kind, int resolution) {
        if (model == null) {
            throw new IllegalArgumentException("Depth needs a depth network (.onnx, e.g. Depth Anything V2 Small exported "
                    + "to ONNX) in the preprocessor models folder (Plugins > Diffusion > Diffusion Settings); none is bundled.");
        }
        return DepthEstimator.load(model, kind, 0, 0).map(image, resolution, image.width(), image.height());
    }

    /** Detects people (bundled pose network unless {@code model} is given) and renders the map at the image size. */
    public static PoseMap openpose(RgbImage image, Path model, int resolution) {
        PoseDetector det = model == null ? PoseDetector.bundled() : PoseDetector.load(model);
        PoseDetector.Detection d = det.run(image, resolution);
        return new PoseMap(d.pose(), d.map(image.width(), image.height()));
    }
}
