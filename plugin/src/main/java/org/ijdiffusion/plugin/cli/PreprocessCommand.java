package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.plugin.io.OutputFiles;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.canny.CannyDetector;
import org.ijdiffusion.preprocessors.depth.DepthEstimator;
import org.ijdiffusion.preprocessors.depth.DepthModelKind;
import org.ijdiffusion.preprocessors.pose.Pose;
import org.ijdiffusion.preprocessors.pose.PoseDetector;
import org.ijdiffusion.preprocessors.pose.PoseJson;

/**
 * {@code ij-diffusion preprocess {canny|depth|openpose} --in IMAGE --out MAP.png [options]}: writes a
 * ControlNet conditioning map (at the input image size unless --width/--height are given).
 */
final class PreprocessCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("in", "out", "width", "height", "resolution", "low", "high",
            "model", "kind", "input-size", "pose-json");

    @Override
    public String name() {
        return "preprocess";
    }

    @Override
    public String summary() {
        return "make a Canny, depth or OpenPose control map from an image";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: ij-diffusion preprocess {canny|depth|openpose} --in IMAGE --out MAP.png [options]",
                "  --width W --height H  size of the map (default: the input's)",
                "  --resolution N        detect resolution, short side (default 512)",
                "  --low N --high N      Canny thresholds (default 100/200)",
                "  --model FILE          depth: the ONNX network (required); openpose: a .pb/.caffemodel/.onnx",
                "                        (default: the bundled tfpose-mobilenet-v2-small)",
                "  --kind da2|midas      depth network family (default da2, Depth Anything V2)",
                "  --input-size N|WxH    depth network with a fixed input size",
                "  --pose-json OUT.json  openpose: also write the keypoints as OpenPose JSON");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new UsageException("missing the map type (canny, depth or openpose). Try: ij-diffusion preprocess --help");
        }
        String type = args.get(0).toLowerCase(Locale.ROOT);
        Args o = Args.parse(name(), args.subList(1, args.size()), OPTIONS, Set.of());
        Path outFile = o.requirePath("out");
        o.requirePath("in");
        new CommandFiles().input(o, "in").input(o, "model").output(o, "out").output(o, "pose-json").check();
        RgbImage in = ImageInput.readRgb(o.requirePath("in"));
        int w = o.integer("width", in.width(), 1);
        int h = o.integer("height", in.height(), 1);
        int res = o.integer("resolution", DetectResolution.DEFAULT, 1);
        if (type.equals("canny") || type.equals("depth") || type.equals("openpose")) {
            RunLimits.preprocess(type, in.width(), in.height(), res, w, h);
        }
        long t0 = System.nanoTime();
        RgbImage map;
        switch (type) {
            case "canny" -> map = CannyDetector.map(in, o.integer("low", CannyDetector.DEFAULT_LOW, 0),
                    o.integer("high", CannyDetector.DEFAULT_HIGH, 0), res, w, h);
            case "depth" -> map = depth(o).map(in, res, w, h);
            case "openpose" -> map = openpose(o, in, res, w, h, out);
            default -> throw new UsageException("unknown map type '" + args.get(0) + "' (use canny, depth or openpose)");
        }
        OutputFiles.writeImage(map, outFile);
        out.printf(Locale.ROOT, "%s map %dx%d written to %s (%.0f ms)%n", type, w, h, outFile,
                (System.nanoTime() - t0) / 1e6);
        return Main.OK;
    }

    private static DepthEstimator depth(Args o) {
        if (!o.has("model")) {
            throw new UsageException("depth needs --model FILE.onnx (no depth network is bundled, e.g. "
                    + "Depth Anything V2 Small exported to ONNX)");
        }
        String kind = o.get("kind", "da2").toLowerCase(Locale.ROOT);
        DepthModelKind k = switch (kind) {
            case "da2", "depth-anything-v2", "depth_anything_v2" -> DepthModelKind.DEPTH_ANYTHING_V2;
            case "midas" -> DepthModelKind.MIDAS;
            default -> throw new UsageException("unknown --kind '" + kind + "' (use da2 or midas)");
        };
        int[] fixed = o.has("input-size") ? Args.size("input-size", o.get("input-size")) : new int[] {0, 0};
        return DepthEstimator.load(o.path("model"), k, fixed[0], fixed[1]);
    }

    private static RgbImage openpose(Args o, RgbImage in, int res, int w, int h, PrintStream out)
            throws IOException {
        PoseDetector det = o.has("model") ? PoseDetector.load(o.path("model")) : PoseDetector.bundled();
        PoseDetector.Detection d = det.run(in, res);
        Pose pose = d.pose();
        out.println("openpose: " + pose.people().size() + " people (" + det.modelDescription() + ")");
        if (o.has("pose-json")) {
            OutputFiles.writeString(o.path("pose-json"), PoseJson.write(pose));
        }
        return d.map(w, h);
    }
}
