package org.ijdiffusion.plugin.cli;

import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.model.ModelProbe;
import org.ijdiffusion.diffusion.pipeline.MemoryEstimate;
import org.ijdiffusion.diffusion.util.AvailableMemory;
import org.ijdiffusion.preprocessors.DetectResolution;

/**
 * Limits checked before a command allocates anything: the memory a generation needs (from the model
 * header alone, before images are read or weights loaded; the pipeline checks again) and the sizes
 * of preprocess and render-pose maps.
 */
final class RunLimits {
    /**
     * Bytes per pixel of the detect-size image a preprocessor holds at its peak (OpenCV mats: the resized
     * RGB, grey/float working planes; OpenPose: the network's float input blob and its heat and
     * part-affinity maps). Conservative figures for the bundled detectors.
     */
    static final double CANNY_BYTES_PER_DETECT_PIXEL = 24;
    static final double DEPTH_BYTES_PER_DETECT_PIXEL = 64;
    static final double OPENPOSE_BYTES_PER_DETECT_PIXEL = 160;
    /** Bytes per output pixel: the RGB map, its Mat, the ARGB raster of the PNG writer, the resize. */
    static final double BYTES_PER_OUTPUT_PIXEL = 16;

    private RunLimits() {
    }

    /** Refuses a generate run the machine cannot hold, from the headers of its model and ControlNets. */
    static void generate(Path model, Path vae, int width, int height, int batch, boolean guided, boolean encodes,
            List<ControlOptions.Unit> units, boolean loras) {
        if (!AvailableMemory.checking() || width <= 0 || height <= 0 || batch <= 0) {
            return; // sizes are refused by the request's own validation
        }
        ModelProbe.requireCheckpoint(model, ModelProbe.detect(model));
        double weights;
        MemoryEstimate e;
        try (Checkpoint c = Checkpoint.open(model, vae)) {
            weights = c.loadedWeightBytes(loras);
            for (ControlOptions.Unit u : units) {
                try (ControlNetCheckpoint cn = ControlNetCheckpoint.open(u.model())) {
                    weights += cn.loadedWeightBytes();
                }
            }
            e = MemoryEstimate.of(c.unetConfig(), c.vaeConfig(), weights, width, height, batch, guided, encodes,
                    units.size());
        }
        e.require(width, height, batch);
    }

    /** Refuses a preprocess run whose detect-size or output-size images would not fit. */
    static void preprocess(String type, int inWidth, int inHeight, int resolution, int outWidth, int outHeight) {
        double perDetect = switch (type) {
            case "canny" -> CANNY_BYTES_PER_DETECT_PIXEL;
            case "depth" -> DEPTH_BYTES_PER_DETECT_PIXEL;
            case "openpose" -> OPENPOSE_BYTES_PER_DETECT_PIXEL;
            default -> 0;
        };
        int[] detect = DetectResolution.size(inWidth, inHeight, resolution);
        double detectPixels = (double) detect[0] * detect[1];
        map(type + " map " + outWidth + "x" + outHeight + " (detected at " + detect[0] + "x" + detect[1] + ")",
                detectPixels * perDetect, outWidth, outHeight,
                "use a smaller --resolution" + (detect[0] != inWidth || detect[1] != inHeight ? " (the short side is"
                        + " scaled to it: a thin strip becomes very long)" : "") + " or a smaller size");
    }

    /** Refuses a render-pose map larger than the machine holds. */
    static void renderPose(int width, int height) {
        map("pose map " + width + "x" + height, 0, width, height, "use a smaller --width/--height");
    }

    private static void map(String what, double workBytes, int width, int height, String advice) {
        double pixels = (double) width * height;
        if (pixels * 4 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " is too large: one picture of that size exceeds what a Java"
                    + " array holds; " + advice + ".");
        }
        double total = MemoryEstimate.RUNTIME_BYTES + workBytes + pixels * BYTES_PER_OUTPUT_PIXEL;
        AvailableMemory.require((long) Math.min(total, Long.MAX_VALUE), what, String.format(java.util.Locale.ROOT,
                "working images %s GB, output %s GB", AvailableMemory.gb((long) workBytes),
                AvailableMemory.gb((long) (pixels * BYTES_PER_OUTPUT_PIXEL))), advice);
        AvailableMemory.requireHeap((long) (pixels * BYTES_PER_OUTPUT_PIXEL), what);
    }
}
