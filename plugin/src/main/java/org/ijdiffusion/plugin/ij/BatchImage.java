package org.ijdiffusion.plugin.ij;

import com.google.gson.JsonObject;
import ij.ImagePlus;
import ij.gui.Roi;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.plugin.ij.core.FolderBatch;
import org.ijdiffusion.plugin.ij.core.FolderBatch.Item;
import org.ijdiffusion.plugin.ij.core.FolderBatch.Mode;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.inpaint.InpaintResult;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.plugin.io.ImageInput;
import org.ijdiffusion.plugin.io.OutputFiles;
import org.ijdiffusion.plugin.io.ResumeRecord;
import org.ijdiffusion.plugin.io.StoredImage;
import org.ijdiffusion.preprocessors.ImageFiles;
import org.ijdiffusion.preprocessors.RgbImage;
import org.ijdiffusion.preprocessors.mask.Mask;

/**
 * One image of a Batch... run: skipped when its record says it is done, else generated on the kept
 * model and committed with its record ({@link ResumeRecord}: a kill leaves no half-written file, and
 * an image whose record was not yet in place is recognised, not made again). img2img results are RGB at the source's
 * size; inpainting pastes into the source in its own kind, as the command line does.
 */
final class BatchImage {
    /** Form keys that say where files are, not what is made (not part of a job's hash). */
    private static final Set<String> PLACES = Set.of("input", "output", "mask_folder", "seed");

    private final Generation g;
    private final Path model;
    private final Mode mode;
    private final Roi roi;
    private final ImagePlus maskImage;
    private final String parameters;

    BatchImage(Generation g, Path model, Mode mode, Roi roi, ImagePlus maskImage) {
        this.g = g;
        this.model = model;
        this.mode = mode;
        this.roi = roi;
        this.maskImage = maskImage;
        this.parameters = parameters(g.form, mode);
    }

    /** What changes the image: every field but the folders and the seed (hashed on its own). */
    static String parameters(ParamForm form, Mode mode) {
        StringBuilder b = new StringBuilder();
        for (ParamForm.Field f : form.fields()) {
            boolean inpaintOnly = f.key().startsWith("mask") || Set.of("inpaint_area", "padding", "masked_content",
                    "working_size", "soft_inpainting", "color_match").contains(f.key());
            if (!PLACES.contains(f.key()) && (mode == Mode.INPAINT || !inpaintOnly)) {
                b.append(f.key()).append('=').append(form.string(f.key())).append('\n');
            }
        }
        return b.toString();
    }

    /** Makes {@code item} with {@code seed}; false when it was already done. */
    boolean make(Item item, long seed, IjProgress progress) throws IOException {
        StoredImage stored = ImageInput.read(item.input());
        RgbImage source = stored.toRgb();
        Mask mask = null;
        if (mode == Mode.INPAINT) {
            mask = mask(item, source.width(), source.height());
        }
        String hash = FolderBatch.jobHash(parameters, item.input(), mask == null ? null : mask.values(), seed);
        if (ResumeRecord.complete(item.output(), hash)) {
            return false;
        }
        long t0 = System.nanoTime();
        GenerationRequest.Builder b = GenerateForm.request(g.form, seed);
        String infotext;
        BufferedImage image;
        if (mode == Mode.IMG2IMG) {
            RgbImage in = IjImages.toMultipleOf8(source);
            b.size(in.width(), in.height()).init(EngineImages.rgb(in));
            GenerationResult r = GenerationJob.run(model, null, g.loraFolder(), b, List.of(), progress);
            RgbImage out = IjImages.resize(EngineImages.toRgb(r.images().get(0)), source.width(), source.height());
            infotext = r.infotext();
            image = ImageFiles.toBufferedImage(out);
        } else {
            InpaintResult r = GenerationJob.inpaint(model, null, g.loraFolder(), b, source, mask,
                    GenerateForm.inpaintSettings(g.form), List.of(), progress);
            infotext = r.infotext();
            image = stored.paste(r.fitted().get(0), r.box(), r.pasteMask()).toBufferedImage();
        }
        JsonObject fields = new JsonObject();
        fields.addProperty("source", item.name());
        if (item.mask() != null) {
            fields.addProperty("mask", item.mask().getFileName().toString());
        }
        fields.addProperty("seed", seed);
        fields.addProperty("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        fields.addProperty("parameters", infotext == null ? "" : infotext);
        ResumeRecord.commit(item.output(), hash, fields, staged -> OutputFiles.writePng(image, infotext, staged));
        return true;
    }

    private Mask mask(Item item, int width, int height) throws IOException {
        if (item.mask() == null) {
            return BatchFolder.sharedMask(roi, maskImage, width, height);
        }
        if (!Files.isRegularFile(item.mask())) {
            throw new IllegalArgumentException("no mask in " + item.mask().getParent() + " (looked for "
                    + FolderBatch.stem(item.input()) + FolderBatch.MASK_SUFFIX + ".png/.tif/... and "
                    + item.name() + " there)");
        }
        Mask m = Mask.fromImage(ImageInput.read(item.mask()).toRgb());
        if (m.width() != width || m.height() != height) {
            throw new IllegalArgumentException("mask " + item.mask().getFileName() + " is " + m.width() + "x"
                    + m.height() + " but the image is " + width + "x" + height);
        }
        return m;
    }
}
