package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageWindow;
import java.util.Locale;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.plugin.ij.core.PreviewSettings;

/**
 * The engine's progress in ImageJ: progress bar and status line (step i/n, s/step), one live preview
 * window updated in place every N steps ({@link PreviewSettings}; TAESD's decode of the step's predicted
 * clean image when a TAESD decoder is found, else the latent approximation; not in batch mode or
 * headless), and cancellation by Esc or by closing the preview window.
 */
public final class IjProgress implements ProgressListener {
    private final String title;
    private final boolean preview;
    private final PreviewSettings settings;
    private int lastStep;
    private int totalSteps = -1;
    private ImagePlus previewImage;
    private boolean previewShown;
    private String prefix = "";
    private int width;
    private int height;

    public IjProgress(String title, boolean preview) {
        this(title, preview, IjSettings.preview());
    }

    /** With explicit preview settings (every N steps, keep the window after a finished run). */
    public IjProgress(String title, boolean preview, PreviewSettings settings) {
        this.title = title;
        this.settings = settings;
        this.preview = preview && settings.every() > 0 && !java.awt.GraphicsEnvironment.isHeadless() && !IJ.isMacro()
                && IJ.getInstance() != null;
        IJ.resetEscape();
    }

    /**
     * The size of the picture being made: the preview is shown at it (a latent approximation is 1/8 of it), so the
     * window has the result's size. 0 = as decoded.
     */
    public void size(int w, int h) {
        width = w;
        height = h;
    }

    private ij.process.ImageProcessor scaled(FloatImage p) {
        ij.process.ImageProcessor ip = IjImages.processor(p);
        if (width > 0 && height > 0 && (ip.getWidth() != width || ip.getHeight() != height)) {
            ip.setInterpolationMethod(ij.process.ImageProcessor.BILINEAR);
            ip = ip.resize(width, height);
        }
        return ip;
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
        lastStep = step;
        totalSteps = total;
        if (preview && settings.shows(step, total)) {
            FloatImage p = latents.get();
            if (previewImage == null) {
                previewImage = new ImagePlus(title + " (preview)", scaled(p));
                previewImage.show();
                previewShown = true;
            } else {
                // one window, updated in place (a TAESD preview is image-sized, the approximation latent-sized)
                previewImage.setProcessor(scaled(p));
                previewImage.updateAndDraw();
            }
            previewImage.setTitle(title + " (preview, step " + step + "/" + total + ")");
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

    /**
     * Clears the progress bar and closes the preview, or leaves it open when the settings keep it and every
     * step ran (a cancelled or failed generation always closes it: no half picture stays behind).
     */
    public void done() {
        IJ.showProgress(1.0);
        boolean finished = totalSteps > 0 && lastStep == totalSteps;
        if (previewImage != null && settings.keep() && finished && previewImage.getWindow() != null) {
            previewImage.changes = false;
            previewImage.setTitle(title + " (last preview)");
            previewImage = null;
            previewShown = false;
        } else if (previewImage != null) {
            previewImage.changes = false;
            previewImage.close();
            previewImage = null;
            previewShown = false;
        }
        IJ.resetEscape();
    }
}
