package org.ijdiffusion.diffusion.lora;

import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;

/**
 * Several LoRAs applied to a model's UNet and text encoder: the decorated weight sources to load the
 * networks from, and what was applied. The LoRA files stay open until {@link #close()} (after loading).
 */
public final class LoraSet implements AutoCloseable {
    private final List<LoraFile> files = new ArrayList<>();
    private final List<AppliedLora> applied = new ArrayList<>();
    private final LoraWeights unet;
    private final LoraWeights text;

    private LoraSet(WeightSource unet, WeightSource text) {
        this.unet = LoraWeights.of(unet);
        this.text = LoraWeights.of(text);
    }

    /**
     * Opens every LoRA and prepares the merge. A LoRA none of whose modules matches the model is an
     * error (it was made for another model family).
     */
    public static LoraSet open(List<LoraSpec> specs, WeightSource unet, UnetConfig unetConfig, WeightSource text) {
        LoraSet set = new LoraSet(unet, text);
        try {
            LoraKeys unetKeys = LoraKeys.unet(unet, unetConfig);
            LoraKeys textKeys = LoraKeys.text(text);
            for (LoraSpec s : specs) {
                LoraFile f = LoraFile.open(s.file());
                set.files.add(f);
                LoraWeights.Applied u = set.unet.add(f, unetKeys, s.unetWeight());
                LoraWeights.Applied t = set.text.add(f, textKeys, s.textWeight());
                List<String> unmatched = new ArrayList<>(u.unmatched());
                unmatched.addAll(t.unmatched());
                for (String m : f.modules().keySet()) {
                    if (!m.startsWith(LoraFile.UNET) && !m.startsWith(LoraFile.TEXT)) {
                        unmatched.add(m);
                    }
                }
                if (u.merged() + t.merged() == 0) {
                    throw new ModelFileException("LoRA " + s.file() + " matches none of this model's layers (its"
                            + " modules are named like " + f.modules().keySet().iterator().next() + "); it was"
                            + " made for another model family (SD2/SDXL?). Use a LoRA for SD1.x.");
                }
                set.applied.add(new AppliedLora(s, f.shortHash(), u.merged() + t.merged(), unmatched));
            }
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    /** The UNet weights with the LoRAs merged on load. */
    public WeightSource unet() {
        return unet;
    }

    /** The text-encoder weights with the LoRAs merged on load. */
    public WeightSource text() {
        return text;
    }

    public List<AppliedLora> applied() {
        return List.copyOf(applied);
    }

    @Override
    public void close() {
        files.forEach(LoraFile::close);
    }
}
