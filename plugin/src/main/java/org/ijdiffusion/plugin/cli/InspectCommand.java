package org.ijdiffusion.plugin.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.model.ModelProbe;

/** {@code ij-diffusion inspect --model PATH [--vae PATH] [--json]}: what a model file or folder holds. */
final class InspectCommand implements Command {
    /** Longest list or metadata value printed in text mode (JSON has everything). */
    private static final int MAX_ITEMS = 20;
    private static final int MAX_VALUE = 200;

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "show a model's kind, config, dtypes, missing/unused keys, metadata and hash";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: ij-diffusion inspect --model PATH [--vae PATH] [--json]",
                "  --model PATH  a .safetensors checkpoint or ControlNet, or a diffusers folder",
                "  --vae PATH    a separate VAE file to check with the model",
                "  --json        print one JSON object instead of text",
                "Exit code 0 when the model can be used, 2 (with a one-line reason) when it cannot.");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args a = Args.parse(name(), args, Set.of("model", "vae"), Set.of("json"));
        Path model = Path.of(a.require("model"));
        Map<String, Object> report;
        if (ModelProbe.detect(model).kind().isControlNet()) {
            if (a.get("vae") != null) {
                throw new UsageException("--vae does not apply to a ControlNet.");
            }
            try (ControlNetCheckpoint c = ControlNetCheckpoint.open(model)) {
                report = ModelReport.of(c);
            }
        } else {
            try (Checkpoint c = Checkpoint.open(model, a.path("vae"))) {
                report = ModelReport.of(c);
            }
        }
        if (a.has("json")) {
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report));
        } else {
            printText(report, out);
        }
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) report.get("problems");
        if (!problems.isEmpty()) {
            throw new ModelFileException(model + " cannot be used: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems, listed above)" : ""));
        }
        return Main.OK;
    }

    @SuppressWarnings("unchecked")
    private static void printText(Map<String, Object> r, PrintStream out) {
        out.println("Model:      " + r.get("name") + "  (" + r.get("path") + ")");
        out.println("Kind:       " + r.get("kind") + "  [" + r.get("detail") + "]");
        out.println("Model hash: " + r.get("model_hash"));
        ((Map<String, Object>) r.get("config")).forEach((component, config) ->
                out.println(pad(component + ":") + inline((Map<String, Object>) config)));
        out.println("Tensors:    " + r.get("tensor_count") + "  " + inline((Map<String, Object>) r.get("dtypes")));
        list(out, "Missing keys", (List<String>) r.get("missing_keys"));
        list(out, "Unused keys", (List<String>) r.get("unused_keys"));
        list(out, "Shape mismatches", (List<String>) r.get("shape_mismatches"));
        list(out, "Problems", (List<String>) r.get("problems"));
        ((Map<String, Map<String, String>>) r.get("metadata")).forEach((file, meta) -> {
            out.println("Metadata of " + file + ":" + (meta.isEmpty() ? " none" : ""));
            meta.forEach((k, v) -> out.println("  " + k + ": " + shorten(v)));
        });
        out.println(Boolean.TRUE.equals(r.get("valid")) ? "VALID: generate can use this model"
                : "INVALID: generate would refuse this model");
    }

    private static String pad(String s) {
        return s.length() >= 12 ? s + " " : (s + "            ").substring(0, 12);
    }

    private static String inline(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> {
            if (k.equals("heads_source")) {
                b.append(" (").append(v).append(')');
            } else {
                b.append(b.length() == 0 ? "" : ", ").append(k.replace('_', ' ')).append(' ').append(v);
            }
        });
        return b.toString();
    }

    private static void list(PrintStream out, String title, Collection<String> items) {
        out.println(title + ": " + (items.isEmpty() ? "none" : items.size()));
        items.stream().limit(MAX_ITEMS).forEach(i -> out.println("  " + i));
        if (items.size() > MAX_ITEMS) {
            out.println("  ... and " + (items.size() - MAX_ITEMS) + " more (--json lists all)");
        }
    }

    private static String shorten(String v) {
        String one = v.replace('\n', ' ');
        return one.length() <= MAX_VALUE ? one : one.substring(0, MAX_VALUE) + "... (" + one.length() + " chars)";
    }
}
