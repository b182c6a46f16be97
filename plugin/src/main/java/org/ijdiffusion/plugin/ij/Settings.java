package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.plugin.ij.core.GenerationJob;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.ij.core.PreviewSettings;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;

/**
 * Plugins > Diffusion > Diffusion Settings: model folders (or an A1111 / ComfyUI {@code models/}
 * folder), default checkpoint, CPU threads. Kept in ImageJ's preferences.
 */
public class Settings implements PlugIn {
    static final String COMMAND = "Diffusion Settings";

    @Override
    public void run(String arg) {
        Commands.guarded(COMMAND, this::edit);
    }

    private void edit() {
        SuiteSettings s = IjSettings.load();
        ParamForm form = new ParamForm().text(SuiteSettings.MODELS_ROOT, s.modelsRoot());
        for (ModelKind k : ModelKind.values()) {
            form.text(k.key(), s.folder(k));
        }
        form.text(SuiteSettings.DEFAULT_MODEL, s.defaultModel()).integer(SuiteSettings.THREADS, s.threads(), 0, 1024);
        Precision precision = IjSettings.precision();
        form.choice(IjSettings.PRECISION, Precision.labels(), precision.label());
        PreviewSettings preview = IjSettings.preview();
        form.integer(PreviewSettings.EVERY, preview.every(), 0, 1000).checkbox(PreviewSettings.KEEP, preview.keep());
        if (!IjForm.fill(COMMAND, form, "models_root: an A1111 or ComfyUI 'models' folder (its Stable-diffusion/"
                + "checkpoints, VAE, ControlNet, Lora/loras, embeddings sub-folders and A1111's embeddings beside it are searched).\nThe other folders are searched "
                + "first. threads: 0 = all cores (applies before the first generation).\npreview_every: live preview "
                + "every N steps (0 = none), TAESD when taesd_decoder.safetensors is in the taesd folder or "
                + "VAE-approx / vae_approx,\nelse a rough colour approximation. keep_preview: leave the last preview open."
                + "\nprecision: fp32 (exact) or bf16 (about twice as fast, half the weight memory; needs a CPU with "
                + "AVX512-BF16 or AMX).", false)) {
            return;
        }
        Map<ModelKind, String> folders = new EnumMap<>(ModelKind.class);
        for (ModelKind k : ModelKind.values()) {
            folders.put(k, folder(form, k.key()));
        }
        SuiteSettings next = new SuiteSettings(folder(form, SuiteSettings.MODELS_ROOT), folders,
                form.string(SuiteSettings.DEFAULT_MODEL).strip(), (int) form.integer(SuiteSettings.THREADS));
        Precision nextPrecision = Precision.fromLabel(form.string(IjSettings.PRECISION));
        nextPrecision.requireSupported(); // refused here, with the reason, rather than at the next generation
        IjSettings.save(next);
        IjSettings.savePrecision(nextPrecision);
        GenerationJob.precision(nextPrecision);
        IjSettings.save(new PreviewSettings((int) form.integer(PreviewSettings.EVERY), form.bool(PreviewSettings.KEEP)));
        if (!next.equals(s)) {
            GenerationJob.release();
        }
        IJ.showStatus(COMMAND + ": saved; " + next.modelFolders().list(ModelKind.CHECKPOINT).size() + " checkpoints found");
    }

    private static String folder(ParamForm form, String key) {
        String v = form.string(key).strip();
        if (!v.isEmpty() && !Files.isDirectory(Path.of(v))) {
            throw new IllegalArgumentException(key + ": the folder " + v + " does not exist");
        }
        return v;
    }
}
