package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.plugin.ij.core.ControlSpec;
import org.ijdiffusion.plugin.ij.core.GenerateForm;
import org.ijdiffusion.plugin.ij.core.Seeds;

/** Plugins > Diffusion > Text to Image: txt2img, with an optional ControlNet unit. */
public class TextToImage implements PlugIn {
    static final String COMMAND = "Text to Image";

    @Override
    public void run(String arg) {
        boolean fromPng = "png".equals(arg);
        Commands.offEventThread("text-to-image", () -> Commands.guarded(COMMAND, () -> generate(fromPng)));
    }

    private void generate(boolean fromPng) {
        Generation g = new Generation(fromPng ? COMMAND + " from PNG" : COMMAND);
        g.fields(false);
        if (fromPng && !g.presetFromPng()) {
            return;
        }
        if (!IjForm.fill(COMMAND, g.form, "Seed -1 = random. Esc stops. Models: Plugins > Diffusion > Diffusion Settings.")) {
            return;
        }
        long seed = Seeds.resolve(g.form.integer("seed"));
        int w = (int) g.form.integer("width");
        int h = (int) g.form.integer("height");
        GenerationRequest.Builder b = GenerateForm.request(g.form, seed).size(w, h);
        ControlSpec control = g.control(null);
        IjProgress progress = new IjProgress(COMMAND, true);
        progress.size(w, h);
        GenerationResult r;
        try {
            r = g.run(b, control, progress);
        } finally {
            progress.done();
        }
        if (r == null) {
            return;
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < r.images().size(); i++) {
            labels.add("seed " + r.seed(i));
        }
        ImagePlus out = g.image(r.images(), labels, r.seed(), r.infotexts(), w, h, null);
        IJ.log(COMMAND + ": seed " + r.seed() + " -> " + out.getTitle());
        out.show();
        IJ.showStatus(COMMAND + ": done, seed " + r.seed());
    }
}
