package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.measure.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationCancelledException;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.plugin.ij.core.ControlSpec;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.ModelFolders;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.PngParameters;
import org.ijdiffusion.diffusion.pipeline.InfotextReader;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;
import org.ijdiffusion.preprocessors.RgbImage;

/** What Text to Image and Image to Image share: the form, the model files, running a job, the result image. */
final class Generation {
    /** The image property holding A1111's parameters text (what "Save PNG with parameters" writes). */
    static final String PARAMETERS = "parameters";
    /** The image property holding the macro line that makes the image again. */
    static final String MACRO = "macro";

    final String command;
    final SuiteSettings settings;
    final ModelFolders folders;
    final ParamForm form = new ParamForm();

    Generation(String command) {
        this.command = command;
        this.settings = IjSettings.load();
        IjSettings.threads(settings.threads());
        this.folders = settings.modelFolders();
        GenerationJob.taesd(folders.taesd());
    }

    void fields(boolean img2img) {
        GenerateForm.model(form, org.ijdiffusion.plugin.ij.core.Checkpoints.list(folders), settings.defaultModel());
        GenerateForm.sampling(form, img2img);
        List<String> titles = new ArrayList<>();
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp != null) {
                titles.add(imp.getTitle());
            }
        }
        GenerateForm.control(form, folders.list(ModelKind.CONTROLNET), titles, img2img,
                folders.list(ModelKind.PREPROCESSOR));
    }

    /**
     * Asks for a PNG (macro key {@code png}) and presets the form with its A1111 parameters (the macro's
     * or dialog's own values still win); logs what was not taken. False when cancelled.
     */
    boolean presetFromPng() {
        ij.io.OpenDialog od = new ij.io.OpenDialog("PNG with A1111 parameters");
        if (od.getFileName() == null) {
            return false;
        }
        Path png = Path.of(od.getDirectory(), od.getFileName());
        String text;
        try {
            text = org.ijdiffusion.plugin.io.PngFiles.readParameters(png);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(png + " is not a readable PNG: " + e.getMessage());
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(png + " has no A1111 'parameters' text.");
        }
        for (String note : PngParameters.preset(form, InfotextReader.parse(text))) {
            IJ.log(command + " " + png.getFileName() + ": " + note);
        }
        form.text("png", png.toString()); // a macro key, so the recorded line replays through the same PNG
        return true;
    }

    /** The control unit of the form, or null; {@code source} is used for "Same as source". */
    ControlSpec control(RgbImage source) {
        if (!GenerateForm.hasControl(form)) {
            return null;
        }
        Path net = folders.resolve(ModelKind.CONTROLNET, form.string("control_model"));
        String title = form.string("control_image");
        RgbImage image;
        if (GenerateForm.SAME_AS_SOURCE.equals(title)) {
            image = source;
        } else {
            ImagePlus imp = GenerateForm.NONE.equals(title) ? null : WindowManager.getImage(title);
            if (imp == null) {
                throw new IllegalArgumentException("A ControlNet unit needs a control image: open one and choose it as "
                        + "control_image (now: " + title + ").");
            }
            image = IjImages.rgb(imp);
        }
        String pm = form.string("preprocessor_model");
        Path preModel = GenerateForm.DEFAULT_PREPROCESSOR_MODEL.equals(pm) ? null
                : folders.resolve(ModelKind.PREPROCESSOR, pm);
        return GenerateForm.control(form, net, image, preModel);
    }

    /** Runs one request; null when cancelled (nothing is left behind). */
    GenerationResult run(GenerationRequest.Builder request, ControlSpec control, IjProgress progress) {
        Path model = folders.resolve(ModelKind.CHECKPOINT, form.string("model"));
        GenerationJob.embeddings(folders.searched(ModelKind.EMBEDDING));
        EngineStart.announce(command);
        try {
            GenerationJob.precision(IjSettings.precision());
            return GenerationJob.run(model, null, loraFolder(), request, control == null ? List.of() : List.of(control),
                    progress);
        } catch (GenerationCancelledException e) {
            IJ.showStatus(command + ": cancelled, no image made");
            return null;
        }
    }

    /** The first existing LoRA folder of the settings (prompt tags {@code <lora:name:w>} are looked up there), or null. */
    Path loraFolder() {
        List<Path> dirs = folders.searched(ModelKind.LORA);
        return dirs.isEmpty() ? null : dirs.get(0);
    }

    /**
     * The result as a new image (a stack for a batch), titled with prompt and seed, with the first image's
     * parameters in its Info and properties; in a stack each slice's own parameters ({@code infotexts}, one
     * per image: the seeds differ) follow its label's first line, so they travel with the slice
     * ({@link #parameters}). Images are resized to {@code width x height} if that differs.
     */
    ImagePlus image(List<FloatImage> images, List<String> labels, long seed, List<String> infotexts, int width,
            int height, Calibration cal) {
        if (infotexts.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + infotexts.size() + " infotexts");
        }
        String infotext = infotexts.get(0);
        ImageStack stack = new ImageStack(width, height);
        for (int i = 0; i < images.size(); i++) {
            RgbImage rgb = IjImages.resize(org.ijdiffusion.plugin.io.EngineImages.toRgb(images.get(i)), width, height);
            String label = images.size() > 1 ? labels.get(i) + "\n" + infotexts.get(i) : labels.get(i);
            stack.addSlice(label, IjImages.processor(rgb));
        }
        ImagePlus out = new ImagePlus(title(form.string("prompt"), seed), stack);
        if (cal != null) {
            out.setCalibration(cal.copy());
        }
        form.set("seed", Long.toString(seed)); // the line replays this exact image
        String macro = form.macroLine(command);
        out.setProp(PARAMETERS, infotext);
        out.setProp(MACRO, macro);
        out.setProperty("Info", infotext + "\n\nMacro:\n" + macro + "\n");
        return out;
    }

    /**
     * The generation parameters of {@code imp}'s current image: those after its slice label's first line,
     * where {@link #image} puts each slice's in a batch stack (they travel with the slice: a Duplicate of
     * slice 2 keeps slice 2's label, and the stack's properties, which are the first image's); in a stack
     * whose current slice has none, null (never another slice's); else the image's {@value #PARAMETERS}
     * property (null when it has none).
     */
    static String parameters(ImagePlus imp) {
        String own = imp.getProp(PARAMETERS);
        String label = imp.getStack().getSliceLabel(imp.getCurrentSlice());
        int nl = label == null ? -1 : label.indexOf('\n');
        if (own != null && nl >= 0) {
            return label.substring(nl + 1);
        }
        return imp.getStackSize() > 1 ? null : own;
    }

    static String title(String prompt, long seed) {
        String p = prompt.strip().replaceAll("\\s+", " ");
        if (p.length() > 40) {
            p = p.substring(0, 40) + "...";
        }
        return (p.isEmpty() ? "diffusion" : p) + " (seed " + seed + ")";
    }
}
