package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.ij.core.ControlSpec;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.Seeds;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * Plugins > Diffusion > Image to Image: img2img on the current image (current slice, or every slice
 * of a stack as a batch), with an optional ControlNet unit. Grey images go in through their display
 * range; a size that is not a multiple of 8 is resized to the nearest one and the result brought back.
 */
public class ImageToImage implements PlugIn {
    static final String COMMAND = "Image to Image";

    @Override
    public void run(String arg) {
        Commands.offEventThread("image-to-image", () -> Commands.guarded(COMMAND, this::generate));
    }

    private void generate() {
        ImagePlus src = WindowManager.getCurrentImage();
        if (src == null) {
            IjMessages.fail(COMMAND, "There is no image open: open the image to transform first.");
            return;
        }
        if (src.isComposite() && src.getNChannels() > 1) {
            IjMessages.fail(COMMAND, "Multi-channel images are not supported: make an RGB image first "
                    + "(Image > Type > RGB Color).");
            return;
        }
        Generation g = new Generation(COMMAND);
        g.fields(true);
        if (!IjForm.fill(COMMAND, g.form, "Seed -1 = random. Esc stops. Source image: " + src.getTitle())) {
            return;
        }
        long seed = Seeds.resolve(g.form.integer("seed"));
        String slices = g.form.string("slices");
        List<Integer> which = new ArrayList<>();
        if (slices.equals(GenerateForm.SLICES.get(0)) || src.getStackSize() == 1) {
            which.add(src.getCurrentSlice());
        } else {
            for (int i = 1; i <= src.getStackSize(); i++) {
                which.add(i);
            }
        }
        boolean sameSeed = slices.equals(GenerateForm.SLICES.get(2));
        ImageStack stack = src.getStack();
        IjProgress progress = new IjProgress(COMMAND, true);
        List<FloatImage> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> infotexts = new ArrayList<>();
        try {
            for (int k = 0; k < which.size(); k++) {
                RgbImage source = IjImages.rgb(stack.getProcessor(which.get(k)));
                RgbImage in = IjImages.toMultipleOf8(source);
                long s = sameSeed ? seed : seed + k;
                GenerationRequest.Builder b = GenerateForm.request(g.form, s).size(in.width(), in.height())
                        .init(EngineImages.rgb(in));
                ControlSpec control = g.control(in);
                progress.size(source.width(), source.height());
                if (which.size() > 1) {
                    progress.prefix("slice " + (k + 1) + "/" + which.size() + ": ");
                }
                GenerationResult r = g.run(b, control, progress);
                if (r == null) {
                    return; // cancelled: no half-made stack
                }
                images.add(r.images().get(0));
                labels.add("seed " + s);
                infotexts.add(r.infotext());
            }
        } finally {
            progress.done();
        }
        ImagePlus out = g.image(images, labels, seed, infotexts, src.getWidth(), src.getHeight(), src.getCalibration());
        IJ.log(COMMAND + ": seed " + seed + (which.size() > 1 ? (sameSeed ? " (every slice)" : " + slice index") : "")
                + " -> " + out.getTitle());
        out.show();
        IJ.showStatus(COMMAND + ": done, seed " + seed);
    }
}
