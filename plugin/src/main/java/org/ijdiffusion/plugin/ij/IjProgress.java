package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageWindow;
import java.util.Locale;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;

/**
 * The engine's progress in ImageJ: progress bar and status line (step i/n, s/step), a live preview
 * window updated each step (not in batch mode or headless), and cancellation by Esc or by closing the
 * preview window.
 */
public final class IjProgress implements ProgressListener {
    private final String title;
    private final boolean preview;
    private ImagePlus previewImage;
    private boolean previewShown;
    private String prefix = "";

    public IjProgress(String title, boolean preview) {
        this.title = title;
        this.preview = preview && !java.awt.GraphicsEnvironment.isHeadless() && !IJ.isMacro() && IJ.getInstance() != null;
        IJ.resetEscape();
    }

    /** A prefix for the status line, e.g. "slice 2/5: ". */
    public void prefix(String p) {
        prefix = p;
    }

    @Override
    public void onStep(int step, int total, double secondsPerStep, Supplier<FloatImage> latents) {
        IJ.showProgress(step, total);
        IJ.showStatus(String.format(Locale.ROOT, "%s%sstep %d/%d (%.2f s/step), Esc stops", title + ": ", prefix, step,
                total, secondsPerStep));
        if (preview && step < total) {
            FloatImage p = latents.get();
            if (previewImage == null) {
                previewImage = new ImagePlus(title + " (preview)", IjImages.processor(p));
                previewImage.show();
                previewShown = true;
            } else {
                previewImage.setProcessor(IjImages.processor(p));
                previewImage.updateAndDraw();
            }
        }
    }

    @Override
    public void onStage(String stage) {
        IJ.showStatus(title + ": " + prefix + stage);
    }

    @Override
    public void onWarning(String message) {
        IJ.log(title + ": warning: " + message);
    }

    @Override
    public boolean isCancelled() {
        if (IJ.escapePressed()) {
            return true;
        }
        if (previewShown) {
            ImageWindow w = previewImage.getWindow();
            return w == null || w.isClosed();
        }
        return false;
    }

    /** Closes the preview and clears the progress bar (also after a cancel or an error). */
    public void done() {
        IJ.showProgress(1.0);
        if (previewImage != null) {
            previewImage.changes = false;
            previewImage.close();
            previewImage = null;
            previewShown = false;
        }
        IJ.resetEscape();
    }
}
