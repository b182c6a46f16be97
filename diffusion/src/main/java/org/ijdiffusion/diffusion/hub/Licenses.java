package org.ijdiffusion.diffusion.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Licences: accepted once per models folder (recorded in {@code .ij-diffusion/accepted-licenses.txt}),
 * before the first download under them, and stored beside each file as {@code FILE.license.txt} (with
 * the licence's text when the jar carries it, else its name and URL).
 */
public final class Licenses {
    private Licenses() {
    }

    /** Asks the user to accept a licence; false = declined. */
    public interface Gate {
        boolean accept(ModelEntry.License license, String text, List<ModelEntry> entries) throws IOException;
    }

    /** The licence's text shipped in the jar ({@code licenses/ID.txt}), or null. */
    public static String text(ModelEntry.License l) {
        try (InputStream in = Licenses.class.getResourceAsStream("licenses/" + l.id() + ".txt")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static Set<String> accepted(ModelsRoot root) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        Path f = root.acceptedLicenses();
        if (Files.isRegularFile(f)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ids.add(line.split("\t", 2)[0].strip());
                }
            }
        }
        return ids;
    }

    /** The licences of {@code entries} not accepted yet in this models folder, in first-use order. */
    public static List<ModelEntry.License> pending(ModelsRoot root, List<ModelEntry> entries) throws IOException {
        Set<String> done = accepted(root);
        List<ModelEntry.License> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ModelEntry e : entries) {
            if (!done.contains(e.license().id()) && seen.add(e.license().id())) {
                out.add(e.license());
            }
        }
        return out;
    }

    static void record(ModelsRoot root, ModelEntry.License l, String how) throws IOException {
        Path f = root.acceptedLicenses();
        Files.createDirectories(f.getParent());
        Files.writeString(f, l.id() + "\t" + l.name() + "\t" + l.url() + "\t" + Instant.now() + "\t" + how + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static Path fileBeside(Path model) {
        return model.resolveSibling(model.getFileName() + ".license.txt");
    }

    /** Writes {@code FILE.license.txt} beside the model (whole or not at all). */
    static void writeBeside(Path model, ModelEntry e) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("Model: ").append(e.name()).append(" (").append(e.file()).append(")\n");
        b.append("Licence: ").append(e.license().name()).append("\n");
        b.append("Licence URL: ").append(e.license().url()).append("\n");
        b.append("Downloaded from: ").append(String.join(" or ", e.urls())).append("\n");
        b.append("SHA-256: ").append(e.sha256()).append("  Size: ").append(e.size()).append(" bytes\n");
        b.append("Installed: ").append(Instant.now()).append(" by ij-diffusion models get, after the licence was accepted.\n");
        String text = text(e.license());
        if (text != null) {
            b.append("\n").append(text);
        } else {
            b.append("\nThe licence's full text is at the URL above; by using the model you agree to it.\n");
        }
        Path tmp = model.resolveSibling("." + model.getFileName() + ".license.tmp");
        Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, fileBeside(model), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
