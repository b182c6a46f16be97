package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
final class RenderPoseCommand implements Command {
    @Override
    public String name() {
        return "render-pose";
    }

    @Override
    public String summary() {
        return "draw an OpenPose JSON as a ControlNet openpose map";
    }

    @Override
    public String usage() {
        return "Usage: ij-diffusion render-pose --pose IN.json --out MAP.png [--width W --height H]\n"
                + "  the map has the JSON's canvas size unless a size is given (keypoints are then scaled)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args o = Args.parse(name(), args, Set.of("pose", "out", "width", "height"), Set.of());
        Path json = o.requirePath("pose");
        Path outFile = o.requirePath("out");
        if (!Files.isRegularFile(json)) {
            throw new UsageException("pose JSON not found: " + json);
        }
        Pose pose = PoseJson.read(Files.readString(json, StandardCharsets.UTF_8));
        int w = o.integer("width", pose.canvasWidth(), 1);
        int h = o.integer("height", pose.canvasHeight(), 1);
        RunLimits.renderPose(w, h);
        RgbImage map = PoseRenderer.renderAt(pose, w, h);
        ImageFiles.write(map, outFile);
        out.println("pose map " + w + "x" + h + " (" + pose.people().size() + " people) written to " + outFile);
        return Main.OK;
    }
}
