package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.io.File;
import org.ijdiffusion.plugin.ij.core.ControlMaps;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** A ControlNet map (canny, depth, openpose) of an image, at its size, as a SciJava command. */
@Plugin(type = Command.class, headless = true, label = "Diffusion: Preprocess")
public class PreprocessCommand implements Command {
    @Parameter(label = "input")
    BufferedImage input;

    @Parameter(label = "preprocessor", choices = {"canny", "depth", "openpose"})
    String preprocessor = "canny";

    @Parameter(label = "preprocessor_model", required = false,
            description = "depth: the ONNX network (required); openpose: optional (default: the bundled one)")
    File preprocessor_model;

    @Parameter(type = ItemIO.OUTPUT)
    BufferedImage map;

    @Override
    public void run() {
        map = ImageFiles.toBufferedImage(ControlMaps.map(ControlMaps.Kind.fromLabel(preprocessor),
                org.ijdiffusion.plugin.io.ImageInput.fromBufferedImage(input).toRgb(), preprocessor_model == null ? null : preprocessor_model.toPath()));
    }
}
