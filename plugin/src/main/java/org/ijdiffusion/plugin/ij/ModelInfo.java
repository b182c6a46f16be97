package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.plugin.PlugIn;
import ij.text.TextWindow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ijdiffusion.plugin.cli.Main;
import org.ijdiffusion.plugin.ij.core.ModelFolders;
import org.ijdiffusion.plugin.ij.core.ModelKind;
import org.ijdiffusion.plugin.ij.core.ParamForm;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;

/** Plugins > Diffusion > Model Info: the {@code inspect} report of a checkpoint or ControlNet. */
public class ModelInfo implements PlugIn {
    static final String COMMAND = "Model Info";

    @Override
    public void run(String arg) {
        Commands.guarded(COMMAND, this::show);
    }

    private void show() {
        SuiteSettings s = IjSettings.load();
        ModelFolders folders = s.modelFolders();
        java.util.List<String> models = new java.util.ArrayList<>(folders.list(ModelKind.CHECKPOINT));
        models.addAll(folders.list(ModelKind.CONTROLNET));
        ParamForm form = new ParamForm();
        if (models.isEmpty()) {
            form.text("model", s.defaultModel());
        } else {
            form.choice("model", models, s.defaultModel()).acceptsPath("model");
        }
        if (!IjForm.fill(COMMAND, form, null)) {
            return;
        }
        String name = form.string("model");
        Path p;
        try {
            p = folders.resolve(ModelKind.CHECKPOINT, name);
        } catch (IllegalArgumentException e) {
            p = folders.resolve(ModelKind.CONTROLNET, name);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[] {"inspect", "--model", p.toString()}, o, e);
        }
        if (code != Main.OK) {
            IjMessages.fail(COMMAND, err.toString(StandardCharsets.UTF_8).strip());
            return;
        }
        String report = out.toString(StandardCharsets.UTF_8);
        if (IJ.getInstance() == null) {
            IJ.log(report); // headless / batch: the Log (stdout)
        } else {
            new TextWindow(COMMAND + ": " + p.getFileName(), report, 700, 500);
        }
    }
}
