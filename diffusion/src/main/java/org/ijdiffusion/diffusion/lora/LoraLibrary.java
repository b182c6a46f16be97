package org.ijdiffusion.diffusion.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.text.CloseNames;
import org.ijdiffusion.diffusion.text.LoraTag;
import org.ijdiffusion.diffusion.text.PromptParser;

/**
 * The LoRA files of a folder (and its sub-folders) by file name without extension: how a prompt's
 * {@code <lora:name:w>} tag names them. Pickle files are listed too, so that naming one gives the pickle
 * refusal rather than "unknown".
 */
public final class LoraLibrary {
    private static final Set<String> EXTENSIONS = Set.of("safetensors", "pt", "ckpt");
    private static final int MAX_DEPTH = 8;

    private final Path dir;
    private final Map<String, Path> files;

    private LoraLibrary(Path dir, Map<String, Path> files) {
        this.dir = dir;
        this.files = files;
    }

    /** The LoRAs in {@code dir}; a missing folder is an error with a message. */
    public static LoraLibrary scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("LoRA folder " + dir + " does not exist or is not a folder.");
        }
        Map<String, Path> files = new TreeMap<>();
        try {
            org.ijdiffusion.diffusion.util.FolderWalk.files(dir, MAX_DEPTH).forEach(p -> {
                String n = p.getFileName().toString();
                int dot = n.lastIndexOf('.');
                if (dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                    String name = n.substring(0, dot);
                    if (!files.containsKey(name) || n.toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
                        files.put(name, p);
                    }
                }
            });
        } catch (IOException e) {
            throw new ModelFileException("Cannot list LoRA folder " + dir + ": " + e.getMessage(), e);
        }
        return new LoraLibrary(dir, files);
    }

    public Set<String> names() {
        return files.keySet();
    }

    /** The file of the LoRA called {@code name} (exact, else the one name equal ignoring case). */
    public Path resolve(String name) {
        Path p = files.get(name);
        if (p != null) {
            return p;
        }
        List<String> sameCase = files.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).toList();
        if (sameCase.size() == 1) {
            return files.get(sameCase.get(0));
        }
        throw new IllegalArgumentException(CloseNames.unknown("LoRA", name, files.keySet(), dir.toString()));
    }

    /** What a prompt tag asks for, named as in the prompt. */
    public LoraSpec spec(LoraTag tag) {
        return new LoraSpec(resolve(tag.name()), tag.name(), tag.unetWeight(), tag.textWeight());
    }

    /** The LoRAs the {@code <lora:..>} tags of a prompt ask for; a library is needed only when there are tags. */
    public static List<LoraSpec> fromPrompt(String prompt, LoraLibrary libraryOrNull) {
        List<LoraSpec> out = new ArrayList<>();
        for (LoraTag t : PromptParser.parse(prompt).loras()) {
            if (libraryOrNull == null) {
                throw new IllegalArgumentException("The prompt uses <lora:" + t.name() + ":..>; say which folder holds"
                        + " the LoRA files (--lora-dir DIR).");
            }
            out.add(libraryOrNull.spec(t));
        }
        return out;
    }
}
