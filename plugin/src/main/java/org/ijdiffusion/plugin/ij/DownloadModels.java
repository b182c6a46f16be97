package org.ijdiffusion.plugin.ij;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ijdiffusion.diffusion.hub.Catalogue;
import org.ijdiffusion.diffusion.hub.DownloadListener;
import org.ijdiffusion.diffusion.hub.DownloadSettings;
import org.ijdiffusion.diffusion.hub.Downloader;
import org.ijdiffusion.diffusion.hub.Folder;
import org.ijdiffusion.diffusion.hub.Licenses;
import org.ijdiffusion.diffusion.hub.ModelEntry;
import org.ijdiffusion.diffusion.hub.ModelManager;
import org.ijdiffusion.diffusion.hub.ModelsRoot;
import org.ijdiffusion.diffusion.hub.Progress;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;

/**
 * Plugins > Diffusion > Download Models...: the catalogue with a checkbox per model (kind, size, what
 * is installed), the licences to accept, then the downloads with ImageJ's progress bar and status line
 * (MB/s, ETA); Esc cancels and keeps the resumable part. Macro-recordable:
 * {@code run("Download Models...", "models_root=[DIR] layout=auto sd15 controlnet-openpose accept_licenses");}.
 * The downloads land in the suite's models folder (saved as models_root when none was set), so the
 * other dialogs' model choosers list them.
 */
public class DownloadModels implements PlugIn {
    static final String COMMAND = "Download Models";
    private static final String[] LAYOUTS = {"auto", "a1111", "comfyui"};

    @Override
    public void run(String arg) {
        Commands.guarded(COMMAND, this::show);
    }

    private void show() {
        SuiteSettings settings = IjSettings.load();
        String options = Macro.getOptions();
        String rootDefault = settings.modelsRoot().isBlank() ? ModelsRoot.defaultDir().toString() : settings.modelsRoot();
        String catalogueArg = options == null ? "" : Macro.getValue(options, "catalogue", "");
        String rootArg = options == null ? rootDefault : Macro.getValue(options, "models_root", rootDefault);
        DownloadSettings ds = DownloadSettings.defaults();
        ModelManager m;
        try {
            Catalogue c = catalogueArg.isBlank() ? Catalogue.builtIn() : Catalogue.load(catalogueArg, ds);
            m = new ModelManager(c, ModelsRoot.of(Path.of(rootArg), null), ds);
        } catch (IOException e) {
            IjMessages.fail(COMMAND, e.getMessage());
            return;
        }
        List<ModelManager.Status> statuses;
        try {
            statuses = m.statuses();
        } catch (IOException e) {
            IjMessages.fail(COMMAND, e.getMessage());
            return;
        }
        GenericDialog gd = new GenericDialog(COMMAND);
        gd.addStringField("models_root", rootArg, 45);
        gd.addChoice("layout", LAYOUTS, "auto");
        gd.addStringField("catalogue", catalogueArg, 45);
        gd.addMessage("Models (kind, size, state in this folder):");
        for (ModelManager.Status s : statuses) {
            ModelEntry e = s.entry();
            gd.addCheckbox(e.name() + " [" + e.kind().key() + ", " + Progress.bytes(e.size()) + ", " + s.describe() + "]",
                    false);
        }
        gd.addMessage(licences(m, statuses));
        gd.addCheckbox("accept_licenses (I have read the licences above and accept them)", false);
        gd.addMessage("Files are checked against their SHA-256; a cut download resumes. Esc stops (the part is kept).");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String root = gd.getNextString().strip();
        String layout = gd.getNextChoice();
        String catalogueNow = gd.getNextString().strip();
        List<String> chosen = new ArrayList<>();
        for (ModelManager.Status s : statuses) {
            if (gd.getNextBoolean()) {
                chosen.add(s.entry().name());
            }
        }
        boolean accept = gd.getNextBoolean();
        if (!catalogueNow.equals(catalogueArg.strip())) {
            // the checkboxes were made from the other catalogue: say so rather than ignore the field
            IjMessages.fail(COMMAND, "the catalogue changed to '" + catalogueNow + "': run Download Models again to see "
                    + "its models (nothing was downloaded)");
            return;
        }
        if (root.isEmpty()) {
            IjMessages.fail(COMMAND, "models_root: choose the folder the models go into");
            return;
        }
        if (chosen.isEmpty()) {
            IjMessages.fail(COMMAND, "no model chosen: tick the models to download");
            return;
        }
        ModelManager run = new ModelManager(m.catalogue(),
                ModelsRoot.of(Path.of(root), layout.equals("auto") ? null : Folder.Layout.parse(layout)), ds);
        download(run, chosen, accept, settings);
    }

    /** The licences not yet accepted in this folder, with the models under each. */
    private static String licences(ModelManager m, List<ModelManager.Status> statuses) {
        Map<String, List<String>> byLicence = new LinkedHashMap<>();
        Map<String, ModelEntry.License> lic = new LinkedHashMap<>();
        List<ModelEntry> all = statuses.stream().map(ModelManager.Status::entry).toList();
        try {
            for (ModelEntry.License l : Licenses.pending(m.root(), all)) {
                lic.put(l.id(), l);
            }
        } catch (IOException e) {
            return "Licences: " + e.getMessage();
        }
        for (ModelEntry e : all) {
            if (lic.containsKey(e.license().id())) {
                byLicence.computeIfAbsent(e.license().id(), k -> new ArrayList<>()).add(e.name());
            }
        }
        if (byLicence.isEmpty()) {
            return "Licences: all accepted for this folder already.";
        }
        StringBuilder b = new StringBuilder("Licences to accept (once per models folder):");
        byLicence.forEach((id, names) -> b.append("\n  ").append(lic.get(id).name()).append(": ").append(lic.get(id).url())
                .append("  (").append(String.join(", ", names)).append(")"));
        return b.toString();
    }

    private static void download(ModelManager m, List<String> names, boolean accept, SuiteSettings settings) {
        IJ.resetEscape();
        DownloadListener listener = new DownloadListener() {
            @Override
            public void status(String line) {
                IJ.log(COMMAND + ": " + line);
                IJ.showStatus(COMMAND + ": " + line);
            }

            @Override
            public void progress(ModelEntry e, long done, long total, double rate) {
                IJ.showProgress((double) done / Math.max(1, total));
                IJ.showStatus(COMMAND + ": " + e.file() + "  " + Progress.line(done, total, rate) + ", Esc stops");
            }

            @Override
            public boolean cancelled() {
                return IJ.escapePressed();
            }
        };
        Licenses.Gate gate = (l, text, under) -> {
            if (!accept) {
                throw new IllegalArgumentException("the licence '" + l.name() + "' (" + l.url() + ") of "
                        + String.join(", ", under.stream().map(ModelEntry::name).toList())
                        + " must be accepted: read it, then tick accept_licenses");
            }
            IJ.log(COMMAND + ": licence '" + l.name() + "' (" + l.url() + ") accepted");
            return true;
        };
        try {
            List<Downloader.Result> results = m.get(m.entries(names), gate, listener);
            for (Downloader.Result r : results) {
                IJ.log(COMMAND + ": " + r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.file());
            }
        } catch (IOException e) {
            IjMessages.fail(COMMAND, e.getMessage());
            return;
        } finally {
            IJ.showProgress(1.0);
            IJ.resetEscape();
        }
        String root = m.root().dir().toString();
        if (settings.modelsRoot().isBlank()) {
            IjSettings.save(new SuiteSettings(root, settings.folders(), settings.defaultModel(), settings.threads()));
            IJ.log(COMMAND + ": models_root set to " + root + " (Plugins > Diffusion > Diffusion Settings)");
        } else if (!Path.of(settings.modelsRoot()).toAbsolutePath().equals(m.root().dir().toAbsolutePath())) {
            IJ.log(COMMAND + ": note: the suite looks in " + settings.modelsRoot() + "; set models_root to " + root
                    + " in Diffusion Settings to use these models");
        }
        IJ.showStatus(COMMAND + ": done (" + names.size() + " model" + (names.size() == 1 ? "" : "s") + ")");
    }
}
