package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.plugin.io.OutputFiles;
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
                + "  the map has the JSON's canvas size unless a size is given (keypoints are then scaled);\n"
                + "  reads sd-webui-controlnet (normalised or pixel) and CMU OpenPose (BODY_25, COCO-18) JSON;\n"
                + "  a CMU file names no canvas: give --width/--height of the image it was made from";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args o = Args.parse(name(), args, Set.of("pose", "out", "width", "height"), Set.of());
        Path json = o.requirePath("pose");
        Path outFile = o.requirePath("out");
        new CommandFiles().input(o, "pose").output(o, "out").check();
        if (!Files.isRegularFile(json)) {
            throw new UsageException("pose JSON not found: " + json);
        }
        int givenW = o.has("width") ? o.integer("width", 0, 1) : 0;
        int givenH = o.has("height") ? o.integer("height", 0, 1) : 0;
        PoseJson.Decoded d = PoseJson.decode(Files.readString(json, StandardCharsets.UTF_8), givenW, givenH);
        d.warnings().forEach(wn -> err.println("warning: " + wn));
        Pose pose = d.pose();
        int w = givenW > 0 ? givenW : pose.canvasWidth();
        int h = givenH > 0 ? givenH : pose.canvasHeight();
        RunLimits.renderPose(w, h);
        RgbImage map = PoseRenderer.renderAt(pose, w, h);
        OutputFiles.writeImage(map, outFile);
        out.println("pose map " + w + "x" + h + " (" + pose.people().size() + " people) written to " + outFile);
        return Main.OK;
    }
}
