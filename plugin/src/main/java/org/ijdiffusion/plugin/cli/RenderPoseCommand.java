package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.pose.Pose;
import org.ijdiffusion.preprocessors.pose.PoseJson;
import org.ijdiffusion.preprocessors.pose.PoseRenderer;

/**
 * {@code ij-diffusion render-pose --pose IN.json --out MAP.png [--width W --height H]}: draws an
 * OpenPose JSON as a ControlNet openpose map, at the JSON's canvas size unless a size is given (the
 * keypoints are then scaled to it).
 */
public final class RenderPoseCommand {
    static final String USAGE = "usage: ij-diffusion render-pose --pose IN.json --out MAP.png [--width W --height H]";

    private RenderPoseCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            PreprocessCommand.Options o = PreprocessCommand.Options.parse(args, 0, Set.of("pose", "out", "width",
                    "height"));
            Path json = o.path("pose");
            Path outFile = o.path("out");
            if (!Files.isRegularFile(json)) {
                throw new IOException("pose JSON not found: " + json);
            }
            Pose pose = PoseJson.read(Files.readString(json, StandardCharsets.UTF_8));
            int w = o.integer("width", pose.canvasWidth());
            int h = o.integer("height", pose.canvasHeight());
            RgbImage map = PoseRenderer.renderAt(pose, w, h);
            ImageFiles.write(map, outFile);
            out.println("pose map " + w + "x" + h + " (" + pose.people().size() + " people) written to " + outFile);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("render-pose: " + e.getMessage()
                    + (e instanceof PreprocessCommand.Options.UsageException ? "; " + USAGE : ""));
            return 2;
        } catch (RuntimeException e) {
            err.println("render-pose: failed: " + e);
            return 1;
        }
    }
}
