package org.ijdiffusion.plugin.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.diffusion.lora.AppliedLora;
import org.ijdiffusion.diffusion.lora.LoraFile;
import org.ijdiffusion.diffusion.lora.LoraLibrary;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.text.EmbeddingLibrary;

/**
 * LoRAs and embeddings of a {@code generate} command line: {@code --lora FILE[:W[:W_UNET]]} (repeatable;
 * one multiplier for both networks, or text encoder then UNet as in A1111's tags), the prompt's
 * {@code <lora:name:w>} tags looked up in {@code --lora-dir DIR}, and {@code --embeddings-dir DIR}.
 */
final class LoraOptions {
    static final Set<String> OPTIONS = Set.of("lora", "lora-dir", "embeddings-dir");
    static final List<String> USAGE = List.of(
            "    [--lora FILE[:W[:W_UNET]]] ... [--lora-dir DIR] [--embeddings-dir DIR]",
            "  --lora merges a kohya LoRA at multiplier W (default 1; a second number is the UNet's, the first",
            "  then the text encoder's). <lora:name:w> in the prompt loads name.safetensors from --lora-dir.",
            "  Embeddings in --embeddings-dir are used by name or as embedding:name in the prompts.");

    private LoraOptions() {
    }

    /** Every LoRA to merge: the {@code --lora} files in order, then the prompt's tags. */
    static List<LoraSpec> specs(Args a, String prompt) {
        List<LoraSpec> out = new ArrayList<>();
        for (Map.Entry<String, String> e : a.entries()) {
            if (e.getKey().equals("lora")) {
                out.add(parse(e.getValue()));
            }
        }
        LoraLibrary library = a.has("lora-dir") ? LoraLibrary.scan(a.path("lora-dir")) : null;
        try {
            out.addAll(LoraLibrary.fromPrompt(prompt, library));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Set<String> names = new HashSet<>();
        for (LoraSpec s : out) {
            if (!names.add(s.name())) {
                throw new UsageException("LoRA '" + s.name() + "' is given twice (--lora and/or <lora:...> in the"
                        + " prompt); give it once.");
            }
        }
        return out;
    }

    /** {@code FILE}, {@code FILE:W} or {@code FILE:W_TE:W_UNET}; numbers are taken from the right. */
    static LoraSpec parse(String v) {
        String file = v;
        List<Double> weights = new ArrayList<>();
        while (weights.size() < 2) {
            int colon = file.lastIndexOf(':');
            Double w = colon > 0 ? number(file.substring(colon + 1)) : null;
            if (w == null) {
                break;
            }
            weights.add(0, w);
            file = file.substring(0, colon);
        }
        Path p = Paths.get(file);
        if (!p.toFile().isFile()) {
            throw new UsageException("--lora " + v + ": no file " + file + " (write --lora FILE.safetensors:0.8)");
        }
        double te = weights.isEmpty() ? 1.0 : weights.get(0);
        double unet = weights.size() > 1 ? weights.get(1) : te;
        return new LoraSpec(p, LoraFile.nameOf(p), unet, te);
    }

    private static Double number(String s) {
        try {
            double d = Double.parseDouble(s.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Uses the embeddings folder when given. */
    static void embeddings(Args a, SdModel model) {
        if (a.has("embeddings-dir")) {
            model.useEmbeddings(EmbeddingLibrary.scan(a.path("embeddings-dir")));
        }
    }

    /** One line per merged LoRA, and a warning for the modules that matched nothing. */
    static void report(SdModel model, PrintStream err) {
        for (AppliedLora l : model.loras()) {
            err.println("LoRA " + l.name() + " [" + l.hash() + "]: " + l.merged() + " layers merged (unet "
                    + l.spec().unetWeight() + ", te " + l.spec().textWeight() + ")");
            if (!l.unmatched().isEmpty()) {
                List<String> u = l.unmatched();
                err.println("warning: LoRA " + l.name() + ": " + u.size() + " modules match no layer of this model"
                        + " and were not applied: " + String.join(", ", u.subList(0, Math.min(5, u.size())))
                        + (u.size() > 5 ? ", ..." : ""));
            }
        }
    }
}
