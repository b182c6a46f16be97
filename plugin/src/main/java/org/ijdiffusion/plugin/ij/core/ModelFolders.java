package org.ijdiffusion.plugin.ij.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where model files are looked for: one folder per kind, plus an optional A1111 or ComfyUI
 * {@code models/} folder whose usual sub-folders are searched too. Models are named by their path
 * relative to the folder that holds them. No ImageJ here.
 */
public final class ModelFolders {
    private final Path modelsRoot;
    private final Map<ModelKind, Path> folders;

    public ModelFolders(Path modelsRoot, Map<ModelKind, Path> folders) {
        this.modelsRoot = modelsRoot;
        this.folders = folders.isEmpty() ? new EnumMap<>(ModelKind.class) : new EnumMap<>(folders);
    }

    /** The folders searched for {@code kind}, in order (only those that exist). */
    public List<Path> searched(ModelKind kind) {
        Set<Path> out = new LinkedHashSet<>();
        Path own = folders.get(kind);
        if (own != null) {
            out.add(own);
        }
        if (modelsRoot != null) {
            for (String sub : kind.subfolders()) {
                out.add(modelsRoot.resolve(sub).normalize());
            }
        }
        List<Path> existing = new ArrayList<>();
        for (Path p : out) {
            if (Files.isDirectory(p)) {
                existing.add(p);
            }
        }
        return existing;
    }

    /** Every model of {@code kind}, by name (path under its folder, '/'-separated), sorted. */
    public List<String> list(ModelKind kind) {
        Set<String> names = new LinkedHashSet<>();
        for (Path dir : searched(kind)) {
            try {
                org.ijdiffusion.diffusion.util.FolderWalk.walk(dir, 3).stream().filter(p -> !p.equals(dir) && matches(kind, p) && !insideModelFolder(dir, p)).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                        .sorted().forEach(names::add);
            } catch (IOException e) {
                // an unreadable folder lists nothing; resolve() names it if a model is asked for
            }
        }
        return new ArrayList<>(names);
    }

    private static boolean matches(ModelKind kind, Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            return kind == ModelKind.CHECKPOINT ? isDiffusersPipeline(p)
                    : kind == ModelKind.CONTROLNET && isDiffusersModel(p);
        }
        return Files.isRegularFile(p) && kind.endings().stream().anyMatch(n::endsWith);
    }

    private static boolean isDiffusersPipeline(Path dir) {
        return Files.isRegularFile(dir.resolve("model_index.json"));
    }

    private static boolean isDiffusersModel(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json"));
    }

    /** True for the files of a diffusers folder (listed as the folder, not file by file). */
    private static boolean insideModelFolder(Path root, Path p) {
        for (Path d = p.getParent(); d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
            if (isDiffusersPipeline(d) || isDiffusersModel(d)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The TAESD decoder for previews: the first {@code taesd_decoder.safetensors} in the TAESD folders
     * (its {@code taesd_encoder.safetensors} beside it is loaded with it), or null when there is none.
     */
    public Path taesd() {
        for (Path dir : searched(ModelKind.TAESD)) {
            Path p = dir.resolve("taesd_decoder.safetensors");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The file of a model named {@code name} (a name from {@link #list}, or a path), or an error that
     * says which file is expected and where it was looked for.
     */
    public Path resolve(ModelKind kind, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("No " + kind.what() + " chosen. " + where(kind));
        }
        Path direct = Path.of(name);
        if (direct.isAbsolute() && Files.exists(direct)) {
            return direct;
        }
        for (Path dir : searched(kind)) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("The " + kind.what() + " '" + name + "' was not found: expected the file "
                + name + " in " + where(kind));
    }

    private String where(ModelKind kind) {
        List<String> places = new ArrayList<>();
        Path own = folders.get(kind);
        if (own != null) {
            places.add(own.toString());
        }
        if (modelsRoot != null) {
            for (String sub : kind.subfolders()) {
                places.add(modelsRoot.resolve(sub).toString());
            }
        }
        if (places.isEmpty()) {
            return "no folder (none is set: choose the " + kind.key() + " folder, or an A1111/ComfyUI models folder, "
                    + "in Plugins > Diffusion > Diffusion Settings).";
        }
        return String.join(" or ", places) + " (folders are set in Plugins > Diffusion > Diffusion Settings).";
    }
}
