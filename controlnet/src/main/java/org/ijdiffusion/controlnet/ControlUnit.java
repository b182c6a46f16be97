package org.ijdiffusion.controlnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.ijdiffusion.diffusion.pipeline.ControlSource;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.Infotext;

/**
 * One control unit: a ControlNet, its control map at the generation size (RGB in [0,1]), weight,
 * guidance start/end and control mode. Several units' residuals add up (the engine sums them).
 */
public final class ControlUnit implements ControlSource {
    private final ControlNet net;
    private final FloatImage hint;
    private final double weight;
    private final double start;
    private final double end;
    private final ControlMode mode;
    private final String model;
    private final String module;
    private final ResizeMode resize;

    /**
     * @param hint   the control map, already at the generation size (see {@link HintImage#fit})
     * @param model  the model's name for the infotext (e.g. "control_v11p_sd15_canny [d14c016b]")
     * @param module the preprocessor that made the map ("none", "canny", ...), for the infotext
     */
    public ControlUnit(ControlNet net, FloatImage hint, double weight, double start, double end, ControlMode mode,
            ResizeMode resize, String model, String module) {
        if (!(weight >= 0 && weight <= 2)) {
            throw new IllegalArgumentException("control weight must be between 0 and 2 (got " + weight + ")");
        }
        if (!(start >= 0 && start <= 1 && end >= 0 && end <= 1 && start < end)) {
            throw new IllegalArgumentException("control start/end must satisfy 0 <= start < end <= 1 (got "
                    + start + ", " + end + ")");
        }
        if (hint.channels() != 3) {
            throw new IllegalArgumentException("the control image must be RGB");
        }
        this.net = net;
        this.hint = hint;
        this.weight = weight;
        this.start = start;
        this.end = end;
        this.mode = mode;
        this.resize = resize;
        this.model = model;
        this.module = module;
    }

    /**
     * Whether the unit acts at step {@code i} of {@code n}: off when {@code i/n < start} or
     * {@code (i+1)/n > end} (the reference's rule for guidance start/end).
     */
    public boolean activeAt(int i, int n) {
        return !((double) i / n < start || (double) (i + 1) / n > end);
    }

    @Override
    public NDList residuals(NDArray sample, float timestep, NDArray context, int uncondCount, int stepIndex, int steps) {
        if (!activeAt(stepIndex, steps)) {
            return null;
        }
        long b = sample.getShape().get(0);
        long h = sample.getShape().get(2) * 8;
        long w = sample.getShape().get(3) * 8;
        if (h != hint.height() || w != hint.width()) {
            throw new IllegalArgumentException("control image is " + hint.width() + "x" + hint.height()
                    + " but the generation is " + w + "x" + h);
        }
        NDManager m = sample.getManager();
        NDArray hintArray = m.create(hint.data(), new Shape(1, 3, h, w));
        NDArray batch = b == 1 ? hintArray : hintArray.repeat(0, b);
        NDList r = net.forward(sample, timestep, context, batch);
        NDList scaled = new NDList();
        for (int i = 0; i < r.size(); i++) {
            NDArray x = r.get(i).mul((float) mode.scale(weight, i, r.size()));
            if (mode.condOnly() && uncondCount > 0) {
                x = x.mul(condMask(m, b, uncondCount));
            }
            scaled.add(x);
        }
        return scaled;
    }

    /** [B,1,1,1]: 0 for the unconditional items, 1 for the conditional ones. */
    private static NDArray condMask(NDManager m, long b, int uncond) {
        float[] mark = new float[(int) b];
        for (int i = uncond; i < b; i++) {
            mark[i] = 1f;
        }
        return m.create(mark, new Shape(b, 1, 1, 1));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT,
                "Module: %s, Model: %s, Weight: %s, Resize Mode: %s, Guidance Start: %s, Guidance End: %s, Control Mode: %s",
                module, model, Infotext.number(weight), resize.label(), Infotext.number(start), Infotext.number(end),
                mode.label());
    }
}
