package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.ijdiffusion.plugin.io.PngFiles;
import org.ijdiffusion.plugin.ij.core.ParamForm;

/**
 * Plugins > Diffusion > Save PNG with parameters: the current slice as PNG with A1111's
 * {@code parameters} text chunk (read by A1111's PNG Info and Civitai): that slice's own parameters (in a
 * batch stack each slice has its seed). The image is not changed.
 */
public class SavePng implements PlugIn {
    static final String COMMAND = "Save PNG with parameters";

    @Override
    public void run(String arg) {
        Commands.guarded(COMMAND, this::save);
    }

    static ParamForm form(String path) {
        return new ParamForm().text("path", path);
    }

    /** What the recorder gets after a dialog save to {@code path}. */
    static String recordedLine(String path) {
        return form(path).macroLine(COMMAND) + "\n";
    }

    private void save() {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            IjMessages.fail(COMMAND, "There is no image open: open or generate an image first.");
            return;
        }
        String params = Generation.parameters(imp);
        String path = "";
        if (ij.Macro.getOptions() == null) {
            SaveDialog sd = new SaveDialog(COMMAND, imp.getTitle().replaceAll("[^\\w .()-]", "_"), ".png");
            if (sd.getFileName() == null) {
                return;
            }
            path = sd.getDirectory() + sd.getFileName();
            // the save dialog would record "save=..."; the line below records the key this command reads
            ij.plugin.frame.Recorder.disableCommandRecording();
        }
        ParamForm form = form(path);
        if (ij.Macro.getOptions() != null && !IjForm.fill(COMMAND, form, null)) {
            return;
        }
        if (form.string("path").isBlank()) {
            throw new IllegalArgumentException("path: give the PNG file to write, e.g. path=[/tmp/out.png]");
        }
        Path target = Path.of(form.string("path"));
        try {
            PngFiles.writePng(imp.getProcessor().convertToRGB().getBufferedImage(), params, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
        if (ij.plugin.frame.Recorder.record && ij.Macro.getOptions() == null) {
            ij.plugin.frame.Recorder.recordString(recordedLine(target.toString()));
        }
        IJ.showStatus(COMMAND + ": " + target + (params == null ? " (the image has no generation parameters)" : ""));
    }
}
