package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ijdiffusion.diffusion.pipeline.GenerationCancelledException;
import org.ijdiffusion.plugin.ij.core.FolderBatch;
import org.ijdiffusion.plugin.ij.core.FolderBatch.Item;
import org.ijdiffusion.plugin.ij.core.FolderBatch.Mode;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.Seeds;
import org.ijdiffusion.preprocessors.mask.Mask;

/**
 * Plugins > Diffusion > Batch...: Image to Image or inpainting over every image of a folder, into an
 * output folder (never the input folder), one model load for all. Inpainting masks: the current image's
 * selection or an open 8-bit mask image (the same for every image), or per image a mask file
 * ({@link FolderBatch}). Each result is saved whole as {@code <stem>.png} (A1111 parameters inside) with a
 * record {@code <stem>.png.json}; a rerun skips the images whose record matches, so a stopped batch
 * resumes. Image i gets seed + i. Esc stops after the images already saved, leaving no half file.
 */
public class BatchFolder implements PlugIn {
    static final String COMMAND = "Batch...";
    static final String TITLE = "Diffusion Batch";
    /** The mask_source choice for per-image mask files. */
    static final String MASK_FILES = "Mask files";

    @Override
    public void run(String arg) {
        Commands.offEventThread("diffusion-batch", () -> Commands.guarded(TITLE, this::batch));
    }

    private void batch() {
        ImagePlus current = WindowManager.getCurrentImage();
        List<String> sources = new ArrayList<>(List.of(SelectionMask.SELECTION, MASK_FILES));
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp != null && imp != current && imp.getType() == ImagePlus.GRAY8) {
                sources.add(imp.getTitle());
            }
        }
        Generation g = new Generation(TITLE);
        g.form.text("input", "").text("output", "").choice("mode", Mode.labels(), Mode.IMG2IMG.label());
        GenerateForm.model(g.form, g.folders.list(ModelKind.CHECKPOINT), g.settings.defaultModel());
        BatchFields.sampling(g.form);
        GenerateForm.inpaint(g.form, sources);
        g.form.text("mask_folder", "");
        if (!IjForm.fill(TITLE, g.form, "Every image of the input folder -> output folder/<name>.png (+ .png.json record; "
                + "done images are skipped on a rerun). inpaint: mask_source = the current image's selection, an open "
                + "8-bit mask, or Mask files: <name>_mask.png in mask_folder (empty: the input folder), else the same "
                + "file name there. Image i gets seed + i. Esc stops.")) {
            return;
        }
        Mode mode = Mode.fromLabel(g.form.string("mode"));
        Path input = folder("input", g.form.string("input"));
        Path output = folder("output", g.form.string("output"));
        String maskSource = g.form.string("mask_source");
        boolean maskFiles = mode == Mode.INPAINT && MASK_FILES.equals(maskSource);
        Path maskFolder = !maskFiles ? null
                : g.form.string("mask_folder").isBlank() ? input : folder("mask_folder", g.form.string("mask_folder"));
        List<Item> items;
        try {
            items = FolderBatch.plan(input, output, maskFolder);
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Roi roi = null;
        ImagePlus maskImage = null;
        if (mode == Mode.INPAINT && !maskFiles) {
            if (SelectionMask.SELECTION.equals(maskSource)) {
                if (current == null || current.getRoi() == null || !current.getRoi().isArea()) {
                    throw new IllegalArgumentException("mask_source=Selection needs an open image with an area "
                            + "selection (the same selection is repainted in every image), or use Mask files.");
                }
                roi = (Roi) current.getRoi().clone();
            } else {
                maskImage = WindowManager.getImage(maskSource);
                if (maskImage == null) {
                    throw new IllegalArgumentException("mask_source: no open image is titled '" + maskSource + "'");
                }
            }
        }
        long seed = Seeds.resolve(g.form.integer("seed"));
        Path model = g.folders.resolve(ModelKind.CHECKPOINT, g.form.string("model"));
        GenerationJob.precision(IjSettings.precision());
        GenerationJob.embeddings(g.folders.searched(ModelKind.EMBEDDING));
        BatchImage maker = new BatchImage(g, model, mode, roi, maskImage);
        run(items, maker, seed);
    }

    private static void run(List<Item> items, BatchImage maker, long seed) {
        IjProgress progress = new IjProgress(TITLE, false);
        int done = 0;
        int skipped = 0;
        int failed = 0;
        double seconds = 0;
        boolean cancelled = false;
        try {
            for (Item item : items) {
                if (IJ.escapePressed()) {
                    cancelled = true;
                    break;
                }
                String where = "image " + (item.index() + 1) + "/" + items.size() + " (" + item.name() + "): ";
                progress.prefix(where);
                long s = seed + item.index();
                long t0 = System.nanoTime();
                try {
                    if (!maker.make(item, s, progress)) {
                        skipped++;
                        continue;
                    }
                } catch (GenerationCancelledException e) {
                    cancelled = true;
                    break;
                } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
                    failed++;
                    IJ.log(TITLE + ": " + item.name() + " failed, skipped: " + e.getMessage());
                    continue;
                }
                double took = (System.nanoTime() - t0) / 1e9;
                seconds += took;
                done++;
                int left = items.size() - item.index() - 1;
                IJ.log(String.format(Locale.ROOT, "%s: %s-> %s, seed %d, %.1f s (ETA %.0f s)", TITLE, where,
                        item.output().getFileName(), s, took, seconds / done * left));
            }
        } finally {
            progress.done();
        }
        String summary = String.format(Locale.ROOT, "%s: %s%d made, %d already done, %d failed; %s", TITLE,
                cancelled ? "stopped (Esc): " : "", done, skipped, failed,
                items.isEmpty() ? "" : items.get(0).output().getParent());
        IJ.log(summary);
        IJ.showStatus(summary);
    }

    private static Path folder(String key, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + ": give a folder");
        }
        return Path.of(value.strip()).toAbsolutePath().normalize();
    }

    /** The mask of every image from a selection or an open mask image (resized checks are the runner's). */
    static Mask sharedMask(Roi roi, ImagePlus maskImage, int width, int height) {
        if (roi != null) {
            return SelectionMask.mask(SelectionMask.fromRoi(roi, width, height));
        }
        return SelectionMask.mask(SelectionMask.fromMaskImage(maskImage, width, height));
    }
}
