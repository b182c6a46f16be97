package org.ijdiffusion.diffusion.hub;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models folder downloads go into, with its layout: A1111 ({@code Stable-diffusion/}, {@code Lora/},
 * ...) when such folders are there already, else ComfyUI ({@code checkpoints/}, {@code loras/}, ...),
 * unless the layout is given.
 */
public record ModelsRoot(Path dir, Folder.Layout layout, String why) {
    /** The environment variable the command line reads when {@code --models-dir} is not given. */
    public static final String ENV = "IJDIFFUSION_MODELS";

    /** Where files go when no folder is given: {@code ~/ij-diffusion/models}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), "ij-diffusion", "models");
    }

    public static ModelsRoot of(Path dir, Folder.Layout layout) {
        if (layout != null) {
            return new ModelsRoot(dir, layout, "given");
        }
        for (Folder f : Folder.values()) {
            String a = f.name(Folder.Layout.A1111);
            if (!a.equals(f.name(Folder.Layout.COMFYUI)) && Files.isDirectory(dir.resolve(a))) {
                return new ModelsRoot(dir, Folder.Layout.A1111, "found " + a + "/");
            }
        }
        return new ModelsRoot(dir, Folder.Layout.COMFYUI, "default");
    }

    public Path folder(Folder f) {
        return dir.resolve(f.name(layout));
    }

    public Path fileOf(ModelEntry e) {
        return folder(e.folder()).resolve(e.file());
    }

    /** Where licence acceptances are recorded. */
    Path acceptedLicenses() {
        return dir.resolve(".ij-diffusion").resolve("accepted-licenses.txt");
    }
}
