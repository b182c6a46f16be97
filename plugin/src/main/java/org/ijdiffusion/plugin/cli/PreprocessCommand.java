package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.canny.CannyDetector;
import org.ijdiffusion.preprocessors.depth.DepthEstimator;
import org.ijdiffusion.preprocessors.depth.DepthModelKind;
import org.ijdiffusion.preprocessors.pose.Pose;
import org.ijdiffusion.preprocessors.pose.PoseDetector;
import org.ijdiffusion.preprocessors.pose.PoseJson;
import org.ijdiffusion.preprocessors.pose.PoseRenderer;

/**
 * {@code ij-diffusion preprocess {canny|depth|openpose} --in IMAGE --out MAP.png [options]}: writes a
 * ControlNet conditioning map (at the input image size unless --width/--height are given).
 */
public final class PreprocessCommand {
    static final String USAGE = "usage: ij-diffusion preprocess {canny|depth|openpose} --in IMAGE --out MAP.png"
            + " [--width W --height H] [--resolution N (default 512)]"
            + " [--low N --high N (canny, default 100/200)]"
            + " [--model FILE (depth: required ONNX; openpose: optional, bundled model by default)]"
            + " [--kind da2|midas (depth, default da2)] [--input-size N|WxH (depth net with a fixed input)]"
            + " [--pose-json OUT.json (openpose)]";

    private PreprocessCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("missing the map type (canny, depth or openpose)");
            }
            String type = args[0].toLowerCase(Locale.ROOT);
            Options o = Options.parse(args, 1, Set.of("in", "out", "width", "height", "resolution", "low", "high",
                    "model", "kind", "input-size", "pose-json"));
            RgbImage in = ImageFiles.read(o.path("in"));
            Path outFile = o.path("out");
            int w = o.integer("width", in.width());
            int h = o.integer("height", in.height());
            int res = o.integer("resolution", DetectResolution.DEFAULT);
            long t0 = System.nanoTime();
            RgbImage map;
            switch (type) {
                case "canny" -> map = CannyDetector.map(in, o.integer("low", CannyDetector.DEFAULT_LOW),
                        o.integer("high", CannyDetector.DEFAULT_HIGH), res, w, h);
                case "depth" -> map = depth(o).map(in, res, w, h);
                case "openpose" -> map = openpose(o, in, res, w, h, out);
                default -> throw new IllegalArgumentException("unknown map type '" + args[0]
                        + "' (use canny, depth or openpose)");
            }
            ImageFiles.write(map, outFile);
            out.printf(Locale.ROOT, "%s map %dx%d written to %s (%.0f ms)%n", type, w, h, outFile,
                    (System.nanoTime() - t0) / 1e6);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("preprocess: " + e.getMessage() + (e instanceof Options.UsageException ? "; " + USAGE : ""));
            return 2;
        } catch (RuntimeException e) {
            err.println("preprocess: failed: " + e);
            return 1;
        }
    }

    private static DepthEstimator depth(Options o) {
        if (!o.has("model")) {
            throw new IllegalArgumentException("depth needs --model FILE.onnx (no depth network is bundled, e.g. "
                    + "Depth Anything V2 Small exported to ONNX)");
        }
        String kind = o.string("kind", "da2").toLowerCase(Locale.ROOT);
        DepthModelKind k = switch (kind) {
            case "da2", "depth-anything-v2", "depth_anything_v2" -> DepthModelKind.DEPTH_ANYTHING_V2;
            case "midas" -> DepthModelKind.MIDAS;
            default -> throw new IllegalArgumentException("unknown --kind '" + kind + "' (use da2 or midas)");
        };
        int[] fixed = o.has("input-size") ? Options.size(o.string("input-size", "")) : new int[] {0, 0};
        return DepthEstimator.load(o.path("model"), k, fixed[0], fixed[1]);
    }

    private static RgbImage openpose(Options o, RgbImage in, int res, int w, int h, PrintStream out)
            throws IOException {
        PoseDetector det = o.has("model") ? PoseDetector.load(o.path("model")) : PoseDetector.bundled();
        Pose pose = det.detect(in, res);
        out.println("openpose: " + pose.people().size() + " people (" + det.modelDescription() + ")");
        if (o.has("pose-json")) {
            Path json = o.path("pose-json");
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, PoseJson.write(pose), StandardCharsets.UTF_8);
        }
        return PoseRenderer.renderResized(pose, w, h);
    }

    /** {@code --name value} options shared by the CLI commands of this package. */
    static final class Options {
        private final Map<String, String> values = new HashMap<>();

        /** A usage error: the usage line is printed after the message. */
        static final class UsageException extends IllegalArgumentException {
            UsageException(String msg) {
                super(msg);
            }
        }

        static Options parse(String[] args, int from, Set<String> allowed) {
            Options o = new Options();
            for (int i = from; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || !allowed.contains(a.substring(2))) {
                    throw new UsageException("unknown argument '" + a + "'");
                }
                if (i + 1 >= args.length) {
                    throw new UsageException(a + " needs a value");
                }
                o.values.put(a.substring(2), args[++i]);
            }
            return o;
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        String string(String name, String def) {
            return values.getOrDefault(name, def);
        }

        Path path(String name) {
            if (!has(name)) {
                throw new UsageException("missing --" + name);
            }
            return Paths.get(values.get(name));
        }

        /** A whole number; thresholds (--low/--high) may be 0, sizes must be positive. */
        int integer(String name, int def) {
            if (!has(name)) {
                return def;
            }
            int min = name.equals("low") || name.equals("high") ? 0 : 1;
            try {
                int v = Integer.parseInt(values.get(name).trim());
                if (v >= min) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " needs a whole number >= " + min + ", got '"
                    + values.get(name) + "'");
        }

        /** "N" or "WxH". */
        static int[] size(String s) {
            String[] p = s.toLowerCase(Locale.ROOT).split("x");
            try {
                int w = Integer.parseInt(p[0].trim());
                int h = p.length > 1 ? Integer.parseInt(p[1].trim()) : w;
                if (p.length <= 2 && w > 0 && h > 0) {
                    return new int[] {w, h};
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException("size must be N or WxH, got '" + s + "'");
        }
    }
}
