package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model manager the CLI ({@code models list|get|verify|where}) and the ImageJ dialog are faces
 * on: what is installed, getting files (licences first), re-hashing installed files.
 */
public final class ModelManager {
    private final Catalogue catalogue;
    private final ModelsRoot root;
    private final DownloadSettings settings;

    public ModelManager(Catalogue catalogue, ModelsRoot root, DownloadSettings settings) {
        this.catalogue = catalogue;
        this.root = root;
        this.settings = settings;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    public ModelsRoot root() {
        return root;
    }

    /** How far an entry is on disk. */
    public enum State {
        INSTALLED("installed"), WRONG_SIZE("different file"), PARTIAL("partial"), MISSING("-");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** An entry and its file: {@code partBytes} of a resumable part when PARTIAL. */
    public record Status(ModelEntry entry, Path file, State state, long partBytes) {
        public String describe() {
            return state == State.PARTIAL ? "partial " + (int) (partBytes * 100 / entry.size()) + "%" : state.label();
        }
    }

    /** Installed = the file is there with the catalogue's size (run {@link #verify} to re-hash). */
    public Status status(ModelEntry e) throws IOException {
        Path f = root.fileOf(e);
        if (Files.isRegularFile(f)) {
            return new Status(e, f, Files.size(f) == e.size() ? State.INSTALLED : State.WRONG_SIZE, 0);
        }
        Path part = Downloader.partFile(f);
        if (Files.isRegularFile(part)) {
            return new Status(e, f, State.PARTIAL, Files.size(part));
        }
        return new Status(e, f, State.MISSING, 0);
    }

    public List<Status> statuses() throws IOException {
        List<Status> out = new ArrayList<>();
        for (ModelEntry e : catalogue.entries()) {
            out.add(status(e));
        }
        return out;
    }

    /** The entries named, in order, without repeats; an unknown name is an error listing the known ones. */
    public List<ModelEntry> entries(List<String> names) {
        Map<String, ModelEntry> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, catalogue.get(n));
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Downloads the entries (skipping those already installed), asking {@code gate} first for every
     * licence not yet accepted in this models folder; a declined licence downloads nothing.
     */
    public List<Downloader.Result> get(List<ModelEntry> entries, Licenses.Gate gate, DownloadListener listener)
            throws IOException {
        for (ModelEntry.License l : Licenses.pending(root, entries)) {
            List<ModelEntry> under = entries.stream().filter(e -> e.license().id().equals(l.id())).toList();
            if (!gate.accept(l, Licenses.text(l), under)) {
                throw new DownloadException("the licence '" + l.name() + "' (" + l.url() + ") was not accepted; nothing "
                        + "was downloaded");
            }
            Licenses.record(root, l, "accepted");
        }
        Downloader d = new Downloader(settings);
        List<Downloader.Result> results = new ArrayList<>();
        for (ModelEntry e : entries) {
            for (String u : settings.urls(e)) {
                if (u.startsWith("http://") && !Http.isLoopback(java.net.URI.create(u))) {
                    listener.status("warning: " + u + " is plain http: only the SHA-256 check vouches for the file");
                }
            }
            Path dir = root.folder(e.folder());
            listener.status(e.name() + ": " + e.file() + " (" + Progress.bytes(e.size()) + ") -> " + dir);
            Downloader.Result r = d.download(e, dir, listener);
            if (!Files.exists(Licenses.fileBeside(r.file()))) {
                Licenses.writeBeside(r.file(), e);
            }
            results.add(r);
        }
        return results;
    }

    /** One re-hashed file. */
    public record Verified(ModelEntry entry, Path file, boolean present, String sha256) {
        public boolean ok() {
            return present && entry.sha256().equals(sha256);
        }
    }

    /** Re-hashes the named entries' files (all installed or partly installed ones when {@code entries} is empty). */
    public List<Verified> verify(List<ModelEntry> entries, DownloadListener listener) throws IOException {
        List<ModelEntry> todo = new ArrayList<>(entries);
        if (todo.isEmpty()) {
            for (Status s : statuses()) {
                if (s.state() == State.INSTALLED || s.state() == State.WRONG_SIZE) {
                    todo.add(s.entry());
                }
            }
        }
        List<Verified> out = new ArrayList<>();
        for (ModelEntry e : todo) {
            Path f = root.fileOf(e);
            if (!Files.isRegularFile(f)) {
                out.add(new Verified(e, f, false, null));
                continue;
            }
            long t0 = System.nanoTime();
            String h = Sha256.of(f, n -> {
                double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
                listener.progress(e, n, e.size(), n / secs);
            });
            out.add(new Verified(e, f, true, h));
        }
        return out;
    }
}
