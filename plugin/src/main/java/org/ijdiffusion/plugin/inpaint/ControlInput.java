package org.ijdiffusion.plugin.inpaint;

import java.util.Objects;
import org.ijdiffusion.controlnet.ControlMode;
import org.ijdiffusion.controlnet.ControlNet;
import org.ijdiffusion.controlnet.ResizeMode;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * One ControlNet unit for an inpainting run. The map is already preprocessed and covers the whole
 * source image (any resolution with the image's proportions): the runner cuts the inpaint box out of
 * it, scaled to the map's size, and fits that to the working size with {@code resize}.
 *
 * @param model  the model's name for the infotext ("control_v11p_sd15_canny [d14c016b]")
 * @param module the preprocessor that made the map ("none", "canny", ...), for the infotext
 */
public record ControlInput(ControlNet net, RgbImage map, double weight, double start, double end, ControlMode mode,
        ResizeMode resize, String model, String module) {
    public ControlInput {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(resize, "resize");
    }
}
