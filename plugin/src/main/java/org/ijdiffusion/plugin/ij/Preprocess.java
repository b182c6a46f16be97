package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.plugin.ij.core.ControlMaps;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.ModelFolders;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.preprocessors.DetectResolution;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.canny.CannyDetector;
import org.ijdiffusion.preprocessors.depth.DepthModelKind;

/**
 * Plugins > Diffusion > Preprocess > Canny / Depth / OpenPose: the control map of the current image
 * (slice) as a new image of the same size. OpenPose also puts the keypoints on the map as named
 * point selections (one group per person) that Pose > Render From Points draws again after editing.
 */
public class Preprocess implements PlugIn {
    @Override
    public void run(String arg) {
        ControlMaps.Kind kind = ControlMaps.Kind.fromLabel(arg == null || arg.isEmpty() ? "canny" : arg);
        String title = "Preprocess " + kind.label();
        Commands.offEventThread("preprocess", () -> Commands.guarded(title, () -> preprocess(kind, title)));
    }

    private void preprocess(ControlMaps.Kind kind, String title) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            IjMessages.fail(title, "There is no image open: open the image to make a control map of.");
            return;
        }
        ModelFolders folders = IjSettings.load().modelFolders();
        ParamForm form = new ParamForm();
        List<String> models = folders.list(ModelKind.PREPROCESSOR);
        switch (kind) {
            case CANNY -> form.integer("low_threshold", CannyDetector.DEFAULT_LOW, 0, 255)
                    .integer("high_threshold", CannyDetector.DEFAULT_HIGH, 0, 255);
            case DEPTH -> {
                if (models.isEmpty()) {
                    IjMessages.fail(title, "Depth needs a depth network (.onnx, e.g. Depth Anything V2 Small exported to "
                            + "ONNX) in the preprocessor models folder; set it in Plugins > Diffusion > Diffusion Settings. "
                            + "None is bundled.");
                    return;
                }
                form.choice("preprocessor_model", models, models.get(0))
                        .choice("model_type", List.of("Depth Anything V2", "MiDaS"), "Depth Anything V2");
            }
            case OPENPOSE -> {
                List<String> items = new ArrayList<>(List.of(GenerateForm.DEFAULT_PREPROCESSOR_MODEL));
                items.addAll(models);
                form.choice("preprocessor_model", items, items.get(0));
            }
            default -> throw new IllegalArgumentException("no preprocessor " + kind.label());
        }
        form.integer("resolution", DetectResolution.DEFAULT, 64, 4096);
        if (!IjForm.fill(title, form, null)) {
            return;
        }
        RgbImage src = IjImages.rgb(imp);
        int res = (int) form.integer("resolution");
        IJ.showStatus(title + "...");
        long t0 = System.nanoTime();
        ImagePlus out;
        switch (kind) {
            case CANNY -> out = image(kind, imp, ControlMaps.canny(src, (int) form.integer("low_threshold"),
                    (int) form.integer("high_threshold"), res));
            case DEPTH -> out = image(kind, imp, ControlMaps.depth(src,
                    folders.resolve(ModelKind.PREPROCESSOR, form.string("preprocessor_model")),
                    form.string("model_type").equals("MiDaS") ? DepthModelKind.MIDAS : DepthModelKind.DEPTH_ANYTHING_V2,
                    res));
            default -> {
                String m = form.string("preprocessor_model");
                Path model = m.equals(GenerateForm.DEFAULT_PREPROCESSOR_MODEL) ? null : folders.resolve(ModelKind.PREPROCESSOR, m);
                ControlMaps.PoseMap pose = ControlMaps.openpose(src, model, res);
                out = image(kind, imp, pose.map());
                out.setOverlay(PoseRois.overlay(pose.pose()));
                IJ.log(title + ": " + pose.pose().people().size() + " people on " + imp.getTitle());
            }
        }
        out.setProperty("Info", form.macroLine(title.replace("Preprocess ", "")) + "\n");
        out.show();
        IJ.showStatus(String.format(java.util.Locale.ROOT, "%s: %.0f ms", title, (System.nanoTime() - t0) / 1e6));
    }

    private static ImagePlus image(ControlMaps.Kind kind, ImagePlus src, RgbImage map) {
        ImagePlus out = new ImagePlus(kind.label() + " of " + src.getTitle(), IjImages.processor(map));
        out.setCalibration(src.getCalibration().copy());
        return out;
    }
}
