package org.ijdiffusion.diffusion.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ijdiffusion.diffusion.lora.AppliedLora;
import org.ijdiffusion.diffusion.text.LoraTag;
import org.ijdiffusion.diffusion.text.PromptPlan;

/**
 * The generation parameters in AUTOMATIC1111's "parameters" text form, which Civitai, A1111's PNG
 * Info and many tools read back:
 * {@code <prompt>\nNegative prompt: <neg>\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, ...}.
 */
public final class Infotext {
    private Infotext() {
    }

    /** The value of this engine's {@code Decoder:} key for a final image decoded by TAESD (absent: the VAE). */
    public static final String DRAFT_DECODER = "TAESD";

    /**
     * The infotext of a generation with {@code model}, including A1111's {@code Lora hashes} (the LoRAs
     * merged into the model) and {@code TI hashes} (the embeddings the prompts use).
     */
    public static String format(GenerationRequest r, long seed, SdModel model) {
        List<String> extra = new ArrayList<>();
        List<String> loras = model.loras().stream().map(a -> a.name() + ": " + a.hash()).toList();
        if (!loras.isEmpty()) {
            extra.add("Lora hashes: " + quote(String.join(", ", loras)));
        }
        PromptPlan plan = PromptPlan.of(r.prompt(), r.negativePrompt(), r.steps());
        List<String> texts = new ArrayList<>(plan.positiveTexts());
        texts.addAll(plan.negativeTexts());
        List<String> tis = model.conditioner().embeddingsIn(texts.toArray(new String[0])).stream()
                .map(e -> e.name() + ": " + e.shortHash()).toList();
        if (!tis.isEmpty()) {
            extra.add("TI hashes: " + quote(String.join(", ", tis)));
        }
        if (model.precision() != org.ijdiffusion.diffusion.nn.Precision.FP32) {
            // a bf16 picture is not the fp32 one bit for bit: said, and read back by --from-png (fp32 unchanged)
            extra.add("Precision: " + model.precision().label());
        }
        if (r.draftDecode()) {
            // a TAESD draft is not the VAE's picture: said, and read back by --from-png (with --taesd)
            extra.add("Decoder: " + DRAFT_DECODER);
        }
        String vae = null;
        if (model.checkpoint().vaeOverride() != null) {
            vae = "VAE hash: " + model.checkpoint().vaeShortHash() + ", VAE: "
                    + quote(model.checkpoint().vaeOverride().toAbsolutePath().normalize().getFileName().toString());
        }
        return format(r, seed, promptWithOptionLoras(r.prompt(), plan.loras(), model), model.checkpoint().name(),
                model.checkpoint().shortHash(), vae, extra);
    }

    /**
     * The prompt with a {@code <lora:name:w>} tag (or {@code <lora:name:w_te:w_unet>}) appended for each
     * LoRA the model was loaded with that the prompt does not name, so the infotext replays them (A1111
     * knows LoRAs from the prompt only).
     */
    static String promptWithOptionLoras(String prompt, List<LoraTag> tags, SdModel model) {
        StringBuilder s = new StringBuilder(prompt);
        for (AppliedLora a : model.loras()) {
            if (tags.stream().noneMatch(t -> t.name().equals(a.name()))) {
                double te = a.spec().textWeight();
                double unet = a.spec().unetWeight();
                s.append(s.length() == 0 ? "" : " ").append("<lora:").append(a.name()).append(':').append(number(te))
                        .append(te != unet ? ":" + number(unet) : "").append('>');
            }
        }
        return s.toString();
    }

    /**
     * The same infotext for image {@code i} of a batch: the {@code Seed:} field of its parameter line
     * replaced by {@code seed} (A1111 writes each image's own seed).
     */
    public static String withSeed(String infotext, long seed) {
        int line = infotext.lastIndexOf('\n') + 1;
        String params = infotext.substring(line);
        java.util.regex.Matcher m = SEED.matcher(params);
        if (!m.find()) {
            return infotext;
        }
        return infotext.substring(0, line) + params.substring(0, m.start(2)) + seed + params.substring(m.end(2));
    }

    /**
     * The infotexts of a batch of {@code n} images made with seeds {@code seed + i}: the first as it is, each
     * other one {@link #withSeed} its own seed.
     */
    public static List<String> perImage(String infotext, long seed, int n) {
        String[] out = new String[Math.max(1, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = i == 0 ? infotext : withSeed(infotext, seed + i);
        }
        return List.of(out);
    }

    private static final java.util.regex.Pattern SEED = java.util.regex.Pattern.compile("(^|, )Seed: (\\d+)");

    public static String format(GenerationRequest r, long seed, String modelName, String modelHash) {
        return format(r, seed, r.prompt(), modelName, modelHash, null, List.of());
    }

    private static String format(GenerationRequest r, long seed, String prompt, String modelName, String modelHash,
            String vae, List<String> extra) {
        StringBuilder s = new StringBuilder(prompt);
        if (!r.negativePrompt().isEmpty()) {
            s.append("\nNegative prompt: ").append(r.negativePrompt());
        }
        List<String> kv = new ArrayList<>();
        kv.add("Steps: " + r.steps());
        kv.add("Sampler: " + SamplerInfotext.sampler(r));
        kv.add("Schedule type: " + SamplerInfotext.scheduleType(r));
        kv.add("CFG scale: " + number(r.cfg()));
        kv.add("Seed: " + seed);
        kv.add("Size: " + r.width() + "x" + r.height());
        if (modelHash != null) {
            kv.add("Model hash: " + modelHash);
        }
        if (modelName != null) {
            kv.add("Model: " + modelName);
        }
        if (vae != null) {
            kv.add(vae);
        }
        if (r.mode() != GenerationMode.TXT2IMG) {
            kv.add("Denoising strength: " + number(r.strength()));
        }
        if (r.sampler().usesEta() && r.eta() != r.sampler().defaultEta()) {
            // A1111's keys: "Eta DDIM" for DDIM, "Eta" for the other samplers with an eta
            kv.add((r.sampler() == org.ijdiffusion.diffusion.sampling.SamplerKind.DDIM ? "Eta DDIM: " : "Eta: ")
                    + number(r.eta()));
        }
        if (r.clipSkip() > 1) {
            kv.add("Clip skip: " + r.clipSkip());
        }
        kv.add("RNG: CPU"); // torch's CPU generator, one per image (A1111's randn_source CPU)
        if (r.batch() > 1) {
            kv.add("Batch size: " + r.batch());
        }
        kv.addAll(extra);
        for (int i = 0; i < r.controls().size(); i++) {
            kv.add("ControlNet " + i + ": \"" + r.controls().get(i).describe() + "\"");
        }
        s.append('\n').append(String.join(", ", kv));
        return s.toString();
    }

    /** A value as A1111 writes it: in JSON quotes when it holds a comma, colon or line break. */
    static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf(':') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** 7 -> "7", 7.5 -> "7.5", 0.75 -> "0.75" (as A1111 prints them). */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String t = String.format(Locale.ROOT, "%.6f", v);
        t = t.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
