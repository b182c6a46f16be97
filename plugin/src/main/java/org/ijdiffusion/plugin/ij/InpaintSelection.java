package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.process.ByteProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.Infotext;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationCancelledException;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.plugin.ij.core.ControlSpec;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.Seeds;
import org.ijdiffusion.plugin.inpaint.InpaintResult;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * Plugins > Diffusion > Inpaint Selection: repaints the current area selection (or a soft mask from an
 * open 8-bit image) of the current image or slice, through the same runner as the command line
 * ({@code InpaintRunner}); the result opens as a new image whose pixels outside the grown and blurred
 * mask are the source's, bit for bit. The source is never modified.
 */
public class InpaintSelection implements PlugIn {
    static final String COMMAND = "Inpaint Selection";

    @Override
    public void run(String arg) {
        Commands.offEventThread("inpaint-selection", () -> Commands.guarded(COMMAND, this::inpaint));
    }

    private void inpaint() {
        ImagePlus src = WindowManager.getCurrentImage();
        if (src == null) {
            IjMessages.fail(COMMAND, "There is no image open: open the image and select the area to repaint.");
            return;
        }
        if (src.isComposite() && src.getNChannels() > 1) {
            IjMessages.fail(COMMAND, "Multi-channel images are not supported: make an RGB image first "
                    + "(Image > Type > RGB Color).");
            return;
        }
        List<ImagePlus> open = new ArrayList<>();
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp != null) {
                open.add(imp);
            }
        }
        Generation g = new Generation(COMMAND);
        g.fields(true);
        GenerateForm.inpaint(g.form, SelectionMask.sources(src, open));
        if (!IjForm.fill(COMMAND, g.form, "The selection (or an 8-bit mask image) is repainted. Seed -1 = random. "
                + "Esc stops. Source image: " + src.getTitle())) {
            return;
        }
        if (src.getStackSize() > 1 && !g.form.string("slices").equals(GenerateForm.SLICES.get(0))) {
            IjMessages.fail(COMMAND, "slices: Inpaint Selection repaints the current slice only (slices=current); "
                    + "for every slice, run it once per slice (setSlice in a macro).");
            return;
        }
        ByteProcessor maskBp = SelectionMask.fromSource(src, g.form.string("mask_source"), WindowManager::getImage);
        long seed = Seeds.resolve(g.form.integer("seed"));
        RgbImage source = IjImages.rgb(src.getStack().getProcessor(src.getCurrentSlice()));
        GenerationRequest.Builder b = GenerateForm.request(g.form, seed);
        ControlSpec control = g.control(source);
        Path model = g.folders.resolve(ModelKind.CHECKPOINT, g.form.string("model"));
        IjProgress progress = new IjProgress(COMMAND, true);
        InpaintResult r;
        try {
            GenerationJob.precision(IjSettings.precision());
            GenerationJob.embeddings(g.folders.searched(ModelKind.EMBEDDING));
            r = GenerationJob.inpaint(model, null, g.loraFolder(), b, source, SelectionMask.mask(maskBp),
                    GenerateForm.inpaintSettings(g.form), control == null ? List.of() : List.of(control), progress);
        } catch (GenerationCancelledException e) {
            IJ.showStatus(COMMAND + ": cancelled, no image made");
            return;
        } finally {
            progress.done();
        }
        List<FloatImage> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (RgbImage img : r.images()) {
            labels.add("seed " + (r.seed() + images.size()));
            images.add(EngineImages.rgb(img));
        }
        ImagePlus out = g.image(images, labels, seed, Infotext.perImage(r.infotext(), r.seed(), images.size()),
                src.getWidth(), src.getHeight(), src.getCalibration());
        IJ.log(COMMAND + ": seed " + seed + " -> " + out.getTitle());
        out.show();
        IJ.showStatus(COMMAND + ": done, seed " + seed);
    }
}
