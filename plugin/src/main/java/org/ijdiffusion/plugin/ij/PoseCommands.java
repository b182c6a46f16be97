package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.io.OpenDialog;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.preprocessors.pose.Pose;
import org.ijdiffusion.preprocessors.pose.PoseJson;
import org.ijdiffusion.preprocessors.pose.PoseRenderer;

/**
 * Plugins > Diffusion > Pose: Render From Points (the named keypoint selections of the current image
 * drawn as an OpenPose map), Import OpenPose JSON (map + editable points), Export OpenPose JSON.
 */
public class PoseCommands implements PlugIn {
    @Override
    public void run(String arg) {
        switch (arg == null ? "" : arg) {
            case "render" -> Commands.guarded("Render From Points", this::render);
            case "import" -> Commands.guarded("Import OpenPose JSON", this::importJson);
            case "export" -> Commands.guarded("Export OpenPose JSON", this::exportJson);
            default -> IjMessages.fail("Pose", "unknown pose command '" + arg + "' (render, import or export)");
        }
    }

    private static ImagePlus poseImage(String title) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            throw new IllegalArgumentException("There is no image open: open a pose map with keypoints "
                    + "(Preprocess > OpenPose or Pose > Import OpenPose JSON).");
        }
        return imp;
    }

    private static Pose pose(ImagePlus imp) {
        Pose pose = PoseRois.read(imp);
        if (pose.people().isEmpty() && pose.animals().isEmpty()) {
            throw new IllegalArgumentException("'" + imp.getTitle() + "' has no keypoints: its overlay (or the ROI "
                    + "Manager) needs points named like person1/nose, as Preprocess > OpenPose makes them.");
        }
        return pose;
    }

    private void render() {
        ImagePlus imp = poseImage("Render From Points");
        Pose pose = pose(imp);
        ImagePlus out = new ImagePlus("pose map of " + imp.getTitle(),
                IjImages.processor(PoseRenderer.renderAt(pose, imp.getWidth(), imp.getHeight())));
        out.setOverlay(PoseRois.overlay(pose));
        out.setCalibration(imp.getCalibration().copy());
        out.show();
    }

    private void importJson() {
        String path = file("Import OpenPose JSON", false, "pose.json");
        if (path == null) {
            return;
        }
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("path: the file " + p + " does not exist");
        }
        // A CMU OpenPose file names no canvas: the open image (the one it was made from) gives it.
        ImagePlus current = WindowManager.getCurrentImage();
        PoseJson.Decoded decoded;
        try {
            decoded = PoseJson.decode(Files.readString(p, StandardCharsets.UTF_8),
                    current == null ? 0 : current.getWidth(), current == null ? 0 : current.getHeight());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + p + ": " + e.getMessage(), e);
        }
        decoded.warnings().forEach(w -> IJ.log("Import OpenPose JSON: " + w));
        Pose pose = decoded.pose();
        ImagePlus out = new ImagePlus(p.getFileName().toString(), IjImages.processor(PoseRenderer.render(pose)));
        out.setOverlay(PoseRois.overlay(pose));
        out.show();
    }

    private void exportJson() {
        ImagePlus imp = poseImage("Export OpenPose JSON");
        Pose pose = pose(imp);
        String path = file("Export OpenPose JSON", true, "pose.json");
        if (path == null) {
            return;
        }
        try {
            org.ijdiffusion.plugin.io.OutputFiles.writeString(Path.of(path), PoseJson.write(pose));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
        }
        IJ.showStatus("Export OpenPose JSON: " + pose.people().size() + " people to " + path);
    }

    /** The file: {@code path=[...]} in a macro, a file dialog otherwise; null when cancelled. */
    private static String file(String title, boolean save, String def) {
        ParamForm form = new ParamForm().text("path", "");
        if (ij.Macro.getOptions() != null) {
            if (!IjForm.fill(title, form, null)) {
                return null;
            }
            if (form.string("path").isBlank()) {
                throw new IllegalArgumentException("path: give the JSON file, e.g. path=[/tmp/pose.json]");
            }
            return form.string("path");
        }
        if (save) {
            SaveDialog sd = new SaveDialog(title, def, ".json");
            return sd.getFileName() == null ? null : sd.getDirectory() + sd.getFileName();
        }
        OpenDialog od = new OpenDialog(title);
        return od.getFileName() == null ? null : od.getDirectory() + od.getFileName();
    }
}
