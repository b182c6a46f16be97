package org.ijdiffusion.diffusion.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;

/**
 * Builds a component's {@link WeightSource} in the internal vocabulary from each layout users have:
 * LDM single files (component prefixes), bare VAE files, diffusers component files.
 */
public final class Layouts {
    public static final String LDM_UNET = "model.diffusion_model.";
    public static final String LDM_VAE = "first_stage_model.";
    public static final String LDM_TEXT = "cond_stage_model.transformer.";
    public static final String LDM_CONTROL = "control_model.";

    private static final List<String> VAE_ROOTS = List.of("encoder.", "decoder.", "quant_conv.", "post_quant_conv.");

    private Layouts() {
    }

    /** The UNet of an LDM single file. */
    public static MappedWeights ldmUnet(SafetensorsFile f) {
        return MappedWeights.prefixed(f, LDM_UNET, UnaryOperator.identity());
    }

    /**
     * The text encoder of an LDM single file; older files without the {@code text_model.} level
     * ({@code cond_stage_model.transformer.embeddings.*}) are normalised to it.
     */
    public static MappedWeights ldmText(SafetensorsFile f) {
        return MappedWeights.prefixed(f, LDM_TEXT, Layouts::textName);
    }

    static String textName(String n) {
        if (n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("final_layer_norm.")) {
            return "text_model." + n;
        }
        return n;
    }

    /** A diffusers/transformers text encoder file: already in the internal names. */
    public static MappedWeights diffusersText(SafetensorsFile f) {
        return MappedWeights.prefixed(f, "", Layouts::textName);
    }

    /** The VAE of a file in any layout: LDM-prefixed, diffusers, or bare LDM names (vae-ft-mse files). */
    public static MappedWeights vae(SafetensorsFile f) {
        if (f.names().stream().anyMatch(n -> n.startsWith(LDM_VAE))) {
            return attentionAsConvolution(MappedWeights.prefixed(f, LDM_VAE, UnaryOperator.identity()));
        }
        if (DiffusersNames.isDiffusers(f.names(), DiffusersNames.Component.VAE)) {
            return converted(f, DiffusersNames.Component.VAE, "VAE");
        }
        return attentionAsConvolution(
                MappedWeights.prefixed(f, "", n -> VAE_ROOTS.stream().anyMatch(n::startsWith) ? n : null));
    }

    /** Some converted LDM files store the VAE attention weights as [C,C] linears: seen as [C,C,1,1]. */
    private static MappedWeights attentionAsConvolution(MappedWeights w) {
        Map<String, MappedWeights.Target> m = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, MappedWeights.Target> e : w.targets().entrySet()) {
            MappedWeights.Target t = e.getValue();
            if (e.getKey().contains(".mid.attn_1.") && e.getKey().endsWith(".weight") && t.shape().length == 2) {
                t = new MappedWeights.Target(t.fileName(), new long[] {t.shape()[0], t.shape()[1], 1, 1});
                changed = true;
            }
            m.put(e.getKey(), t);
        }
        return changed ? new MappedWeights(w.file(), m, w.origin()) : w;
    }

    /** A diffusers UNet file. */
    public static MappedWeights diffusersUnet(SafetensorsFile f) {
        return converted(f, DiffusersNames.Component.UNET, "UNet");
    }

    /** A ControlNet file: lllyasviel {@code control_model.*} or diffusers {@code controlnet_*}. */
    public static MappedWeights controlNet(SafetensorsFile f) {
        if (f.names().stream().anyMatch(n -> n.startsWith(LDM_CONTROL))) {
            return MappedWeights.prefixed(f, LDM_CONTROL, UnaryOperator.identity());
        }
        return converted(f, DiffusersNames.Component.CONTROLNET, "ControlNet");
    }

    private static MappedWeights converted(SafetensorsFile f, DiffusersNames.Component c, String what) {
        Map<String, long[]> shapes = new LinkedHashMap<>(ModelProbe.shapes(f));
        DiffusersNames.Conversion conv = DiffusersNames.convert(shapes, c);
        if (conv.targets().isEmpty()) {
            throw new ModelFileException("No " + what + " weights found in " + f.path() + ".");
        }
        return new MappedWeights(f, conv.targets(), f.path() + " (diffusers " + what + ")");
    }
}
