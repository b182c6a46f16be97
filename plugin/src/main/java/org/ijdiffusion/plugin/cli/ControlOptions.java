package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.plugin.ij.core.ControlMaps;
import org.ijdiffusion.controlnet.ControlMode;
import org.ijdiffusion.controlnet.ControlNet;
import org.ijdiffusion.controlnet.ControlUnit;
import org.ijdiffusion.controlnet.HintImage;
import org.ijdiffusion.controlnet.ResizeMode;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.canny.CannyDetector;
import org.ijdiffusion.preprocessors.depth.DepthEstimator;
import org.ijdiffusion.preprocessors.depth.DepthModelKind;
import org.ijdiffusion.preprocessors.pose.PoseDetector;

/**
 * The ControlNet units of a {@code generate} command line: each {@code --control MODEL} starts a unit
 * and the {@code --control-*} / {@code --preprocessor*} options after it belong to that unit.
 */
final class ControlOptions {
    static final Set<String> OPTIONS = Set.of("control", "control-image", "control-weight", "control-start",
            "control-end", "control-mode", "control-resize", "preprocessor", "preprocessor-model");

    /** One unit as given on the command line. */
    record Unit(Path model, Path image, double weight, double start, double end, ControlMode mode, ResizeMode resize,
            String preprocessor, Path preprocessorModel) {
    }

    private ControlOptions() {
    }

    static List<Unit> parse(Args a) {
        List<Unit> units = new ArrayList<>();
        Builder current = null;
        for (Map.Entry<String, String> e : a.entries()) {
            String k = e.getKey();
            if (!OPTIONS.contains(k)) {
                continue;
            }
            if (k.equals("control")) {
                if (current != null) {
                    units.add(current.build());
                }
                current = new Builder(Paths.get(e.getValue()));
            } else if (current == null) {
                throw new UsageException("--" + k + " must follow the --control MODEL it applies to");
            } else {
                current.set(k, e.getValue());
            }
        }
        if (current != null) {
            units.add(current.build());
        }
        return units;
    }

    /** A unit's loaded ControlNet, its infotext name and its control map (at the control image's size). */
    record Loaded(Unit unit, ControlNet net, String name, RgbImage map) {
    }

    /** Loads each unit's ControlNet (into {@code manager}) and control map at the generation size. */
    static List<ControlUnit> load(List<Unit> units, int width, int height, ModelSource.Lease models)
            throws IOException {
        List<ControlUnit> out = new ArrayList<>();
        for (Loaded l : loadMaps(units, models)) {
            Unit u = l.unit();
            out.add(new ControlUnit(l.net(), HintImage.fit(EngineImages.rgb(l.map()), width, height, u.resize()),
                    u.weight(), u.start(), u.end(), u.mode(), u.resize(), l.name(), ControlMaps.Kind.moduleOf(u.preprocessor())));
        }
        return out;
    }

    /** Each unit's ControlNet (from {@code models}, in the UNet's precision) and its preprocessed map, not resized. */
    static List<Loaded> loadMaps(List<Unit> units, ModelSource.Lease models) throws IOException {
        List<Loaded> out = new ArrayList<>();
        for (Unit u : units) {
            ModelSource.Net net = models.controlNet(u.model());
            out.add(new Loaded(u, net.net(), net.name(), preprocess(u, ImageInput.readRgb(u.image()))));
        }
        return out;
    }

    /** The control map from the unit's image: the image itself, or a preprocessor's map of it. */
    static RgbImage preprocess(Unit u, RgbImage image) {
        int res = DetectResolution.DEFAULT;
        return switch (u.preprocessor()) {
            case "none" -> image;
            case "canny" -> CannyDetector.map(image, CannyDetector.DEFAULT_LOW, CannyDetector.DEFAULT_HIGH, res,
                    image.width(), image.height());
            case "depth" -> {
                if (u.preprocessorModel() == null) {
                    throw new UsageException("--preprocessor depth needs --preprocessor-model FILE.onnx (a depth "
                            + "network, e.g. Depth Anything V2 Small exported to ONNX)");
                }
                yield DepthEstimator.load(u.preprocessorModel(), DepthModelKind.DEPTH_ANYTHING_V2, 0, 0)
                        .map(image, res, image.width(), image.height());
            }
            case "openpose" -> (u.preprocessorModel() == null ? PoseDetector.bundled()
                    : PoseDetector.load(u.preprocessorModel())).map(image, res, image.width(), image.height());
            default -> throw new IllegalStateException(u.preprocessor());
        };
    }

    private static final class Builder {
        private final Path model;
        private Path image;
        private double weight = 1.0;
        private double start;
        private double end = 1.0;
        private ControlMode mode = ControlMode.BALANCED;
        private ResizeMode resize = ResizeMode.CROP_AND_RESIZE;
        private String preprocessor = "none";
        private Path preprocessorModel;

        Builder(Path model) {
            this.model = model;
        }

        private final java.util.Set<String> given = new java.util.HashSet<>();

        void set(String k, String v) {
            if (!given.add(k)) {
                throw new UsageException("--" + k + " is given twice for the unit of --control " + model
                        + "; give it once per unit (a new --control starts the next unit)");
            }
            try {
                switch (k) {
                    case "control-image" -> image = Paths.get(v);
                    case "control-weight" -> weight = Args.parseDouble(k, v);
                    case "control-start" -> start = Args.parseDouble(k, v);
                    case "control-end" -> end = Args.parseDouble(k, v);
                    case "control-mode" -> mode = ControlMode.fromName(v);
                    case "control-resize" -> resize = ResizeMode.fromName(v);
                    case "preprocessor" -> preprocessor = preprocessorName(v);
                    case "preprocessor-model" -> preprocessorModel = Paths.get(v);
                    default -> throw new IllegalStateException(k);
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + k + ": " + e.getMessage());
            }
        }

        Unit build() {
            if (image == null) {
                throw new UsageException("--control " + model + " needs a --control-image IMAGE after it");
            }
            return new Unit(model, image, weight, start, end, mode, resize, preprocessor, preprocessorModel);
        }

        private static String preprocessorName(String v) {
            String p = v.toLowerCase(Locale.ROOT);
            if (!List.of("none", "canny", "depth", "openpose").contains(p)) {
                throw new IllegalArgumentException("unknown preprocessor '" + v + "'; valid: none, canny, depth, openpose");
            }
            return p;
        }
    }
}
