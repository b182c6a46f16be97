package org.ijdiffusion.plugin.ij;

import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.process.ByteProcessor;

/**
 * Plugins > Diffusion > Selection to Inpaint Mask: the current area selection as a new 8-bit mask
 * image (255 = repaint), the same size and calibration as the image. The image is not changed.
 */
public class SelectionToMask implements PlugIn {
    static final String COMMAND = "Selection to Inpaint Mask";

    @Override
    public void run(String arg) {
        Commands.guarded(COMMAND, () -> {
            ImagePlus imp = WindowManager.getCurrentImage();
            if (imp == null) {
                IjMessages.fail(COMMAND, "There is no image open: open the image and select the part to repaint.");
                return;
            }
            ByteProcessor mask = SelectionMask.fromImage(imp);
            ImagePlus out = new ImagePlus("Mask of " + imp.getTitle(), mask);
            out.setCalibration(imp.getCalibration().copy());
            out.show();
        });
    }
}
