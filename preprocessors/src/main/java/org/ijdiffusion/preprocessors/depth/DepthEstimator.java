package org.ijdiffusion.preprocessors.depth;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.Mats;
import org.ijdiffusion.preprocessors.OpenCv;
import org.ijdiffusion.preprocessors.RgbImage;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;

/**
 * The depth control map: an ONNX depth network run by OpenCV DNN (CPU). Output is relative inverse
 * depth min-max scaled to 0..255, near = white, in all three channels. Thread-safe (runs are
 * serialised).
 */
public final class DepthEstimator {
    static final String WHERE_TO_GET = "Expected an ONNX depth network: Depth Anything V2 Small "
            + "(Apache-2.0; an ONNX export such as depth_anything_v2_vits.onnx, e.g. from "
            + "github.com/fabio-sim/Depth-Anything-ONNX) or a MiDaS ONNX (e.g. model-small.onnx from the "
            + "isl-org/MiDaS v2.1 release, use the MiDaS model kind). OpenCV 4.9 or newer is needed for Depth Anything.";

    private final Net net;
    private final DepthModelKind kind;
    private final int fixedWidth;
    private final int fixedHeight;
    private final Path file;

    private DepthEstimator(Net net, DepthModelKind kind, int fixedWidth, int fixedHeight, Path file) {
        this.net = net;
        this.kind = kind;
        this.fixedWidth = fixedWidth;
        this.fixedHeight = fixedHeight;
        this.file = file;
    }

    /** A network that accepts the input size given by the model kind's rule. */
    public static DepthEstimator load(Path onnx, DepthModelKind kind) {
        return load(onnx, kind, 0, 0);
    }

    /**
     * A network; {@code fixedWidth x fixedHeight} > 0 for exports with a fixed input shape (the image
     * is then stretched to it and the output stretched back).
     *
     * @throws IllegalArgumentException with a user-facing message when the file is missing or unloadable
     */
    public static DepthEstimator load(Path onnx, DepthModelKind kind, int fixedWidth, int fixedHeight) {
        if (onnx == null || !Files.isRegularFile(onnx)) {
            throw new IllegalArgumentException("Depth model not found: " + onnx + ". " + WHERE_TO_GET);
        }
        if (fixedWidth < 0 || fixedHeight < 0 || (fixedWidth == 0) != (fixedHeight == 0)) {
            throw new IllegalArgumentException("Fixed depth input size must be both positive or both 0, got "
                    + fixedWidth + "x" + fixedHeight);
        }
        OpenCv.load();
        Net net;
        try {
            net = Dnn.readNetFromONNX(onnx.toString());
        } catch (CvException e) {
            throw new IllegalArgumentException("OpenCV could not load the depth model " + onnx + " (not a valid "
                    + "ONNX file, or it uses operators OpenCV DNN does not support): "
                    + OpenCv.message(e) + ". " + WHERE_TO_GET, e);
        }
        if (net.empty()) {
            throw new IllegalArgumentException("OpenCV loaded an empty network from " + onnx + ". " + WHERE_TO_GET);
        }
        return new DepthEstimator(net, kind, fixedWidth, fixedHeight, onnx);
    }

    public DepthModelKind kind() {
        return kind;
    }

    /**
     * Runs the network on an already normalised NCHW blob [1,3,height,width] and returns its output
     * (relative inverse depth, {@code outSize[0] x outSize[1]} written to {@code outSize}).
     */
    public synchronized float[] runNetwork(float[] nchw, int width, int height, int[] outSize) {
        if (nchw.length != 3 * width * height) {
            throw new IllegalArgumentException("Depth input needs 3*" + width + "*" + height + " floats, got "
                    + nchw.length);
        }
        Mat blob = new Mat(new int[] {1, 3, height, width}, CvType.CV_32F);
        Mat out = null;
        try {
            blob.put(new int[] {0, 0, 0, 0}, nchw);
            net.setInput(blob);
            out = net.forward();
            int d = out.dims();
            int oh = out.size(d - 2);
            int ow = out.size(d - 1);
            if (out.total() != (long) oh * ow) {
                throw new IllegalArgumentException("The depth model " + file + " gives " + out.total()
                        + " values for a " + width + "x" + height + " input; expected one depth map [1, H, W]. "
                        + WHERE_TO_GET);
            }
            float[] res = new float[oh * ow];
            int[] idx = new int[d];
            out.get(idx, res);
            outSize[0] = ow;
            outSize[1] = oh;
            return res;
        } catch (CvException e) {
            throw new IllegalArgumentException("The depth model " + file + " failed on a " + width + "x" + height
                    + " input: " + OpenCv.message(e) + (fixedWidth == 0 ? ". If the model was exported "
                    + "with a fixed input size, give that size." : "."), e);
        } finally {
            blob.release();
            if (out != null) {
                out.release();
            }
        }
    }

    /** The control map of {@code img} (not modified), resized to {@code outW x outH}. */
    public RgbImage map(RgbImage img, int resolution, int outW, int outH) {
        Mat rgb = Mats.toRgbMat(img);
        Mat small = DetectResolution.resizeForDetection(rgb, resolution);
        Mat map = null;
        Mat out = null;
        try {
            map = inverseDepthMap(small);
            out = DetectResolution.resizeMap(map, outW, outH);
            return Mats.toRgbImage(out);
        } finally {
            rgb.release();
            small.release();
            if (map != null) {
                map.release();
            }
            if (out != null) {
                out.release();
            }
        }
    }

    /** 8-bit single-channel map at the size of {@code rgb}: min-max scaled inverse depth. */
    Mat inverseDepthMap(Mat rgb) {
        int w = rgb.cols();
        int h = rgb.rows();
        int[] in = fixedWidth > 0 ? new int[] {fixedWidth, fixedHeight} : DepthInput.size(kind, w, h);
        Mat netIn = new Mat();
        Mat depth = null;
        Mat back = new Mat();
        try {
            if (in[0] == w && in[1] == h) {
                rgb.copyTo(netIn);
            } else {
                Imgproc.resize(rgb, netIn, new Size(in[0], in[1]), 0, 0, Imgproc.INTER_CUBIC);
            }
            byte[] px = new byte[in[0] * in[1] * 3];
            netIn.get(0, 0, px);
            int[] outSize = new int[2];
            float[] d = runNetwork(DepthInput.normalise(kind, px, in[0], in[1]), in[0], in[1], outSize);
            depth = new Mat(outSize[1], outSize[0], CvType.CV_32F);
            depth.put(0, 0, d);
            if (outSize[0] == w && outSize[1] == h) {
                depth.copyTo(back);
            } else {
                Imgproc.resize(depth, back, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
            }
            float[] v = new float[w * h];
            back.get(0, 0, v);
            return toByteMat(minMax(v), w, h);
        } finally {
            netIn.release();
            back.release();
            if (depth != null) {
                depth.release();
            }
        }
    }

    /** (v - min) / (max - min) * 255, truncated; a flat map gives 0. */
    static byte[] minMax(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        byte[] out = new byte[v.length];
        float range = max - min;
        if (!(range > 0)) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            float s = (v[i] - min) / range * 255f;
            out[i] = (byte) Math.max(0, Math.min(255, (int) s));
        }
        return out;
    }

    private static Mat toByteMat(byte[] b, int w, int h) {
        Mat m = new Mat(h, w, CvType.CV_8UC1);
        m.put(0, 0, b);
        return m;
    }
}
