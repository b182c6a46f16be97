package org.ijdiffusion.plugin.ij.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.model.ModelProbe;

/**
 * The checkpoints for a model chooser: the files of the checkpoint folders whose safetensors header holds a
 * Stable Diffusion UNet (LoRA, ControlNet, VAE-only and embedding files kept there are left out). A file whose
 * header cannot be read stays listed, so that choosing it says what is wrong. No ImageJ here.
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    public static List<String> list(ModelFolders folders) {
        List<String> out = new ArrayList<>();
        for (String name : folders.list(ModelKind.CHECKPOINT)) {
            if (isCheckpoint(folders.resolve(ModelKind.CHECKPOINT, name))) {
                out.add(name);
            }
        }
        return out;
    }

    static boolean isCheckpoint(Path p) {
        ModelProbe.Detection d;
        try {
            d = ModelProbe.detect(p);
        } catch (RuntimeException e) {
            return true; // unreadable: listed, and refused with its reason when chosen
        }
        return switch (d.kind()) {
            case SD1, SD1_INPAINT, SD2, SDXL -> true;
            default -> false;
        };
    }
}
