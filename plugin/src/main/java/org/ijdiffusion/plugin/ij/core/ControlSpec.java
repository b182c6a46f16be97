package org.ijdiffusion.plugin.ij.core;

import java.nio.file.Path;
import org.ijdiffusion.controlnet.ControlMode;
import org.ijdiffusion.controlnet.ResizeMode;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * One ControlNet unit as the user chose it: the ControlNet file, the control image (already a control
 * map, or an image a preprocessor turns into one), weight, guidance start/end (fractions of the steps),
 * control mode and resize mode.
 */
public record ControlSpec(Path model, RgbImage image, ControlMaps.Kind preprocessor, Path preprocessorModel,
        double weight, double start, double end, ControlMode mode, ResizeMode resize) {
    public ControlSpec {
        if (!(weight >= 0 && weight <= 2)) {
            throw new IllegalArgumentException("control_weight must be between 0 and 2 (got " + weight + ")");
        }
        if (!(start >= 0 && end <= 1 && start < end)) {
            throw new IllegalArgumentException("guidance_start and guidance_end must satisfy 0 <= start < end <= 1 (got "
                    + start + ", " + end + ")");
        }
    }
}
