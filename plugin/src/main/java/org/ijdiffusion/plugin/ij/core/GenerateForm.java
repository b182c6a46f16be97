package org.ijdiffusion.plugin.ij.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.pipeline.MaskedContent;
import org.ijdiffusion.plugin.inpaint.InpaintArea;
import org.ijdiffusion.plugin.inpaint.InpaintSettings;
import org.ijdiffusion.controlnet.ControlMode;
import org.ijdiffusion.controlnet.ResizeMode;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.sampling.TimestepSpacing;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * The fields of the generation dialogs, named as A1111 names its parameters, and their conversion to
 * a {@link GenerationRequest.Builder} and {@link ControlSpec}. No ImageJ here.
 */
public final class GenerateForm {
    public static final String NONE = "None";
    public static final String SAME_AS_SOURCE = "Same as source";
    public static final String DEFAULT_PREPROCESSOR_MODEL = "Default";
    public static final List<String> SLICES = List.of("current", "all (seed+i)", "all (same seed)");

    private GenerateForm() {
    }

    /**
     * model, prompt, negative_prompt (multi-line in the dialog, one macro key each). An empty model list gives a
     * text field (a path or a file name); a list still takes an absolute path ({@code model=/path/x.safetensors}).
     */
    public static void model(ParamForm f, List<String> checkpoints, String defaultModel) {
        if (checkpoints.isEmpty()) {
            f.text("model", defaultModel);
        } else {
            f.choice("model", checkpoints, defaultModel).acceptsPath("model");
        }
        f.textArea("prompt", "").textArea("negative_prompt", "");
    }

    /**
     * steps, cfg_scale, sampler, seed, schedule_type (A1111's "Schedule type": Automatic or SGM Uniform), eta
     * (-1 = the sampler's default: DDIM 0, TCD 0.3; only DDIM and TCD take one); for txt2img the size and batch,
     * for img2img the strength.
     */
    public static void sampling(ParamForm f, boolean img2img) {
        if (!img2img) {
            f.integer("width", GenerationRequest.DEFAULT_SIZE, 8, 4096).integer("height", GenerationRequest.DEFAULT_SIZE, 8, 4096);
        }
        sampler(f);
        if (img2img) {
            strength(f).choice("slices", SLICES, SLICES.get(0));
        } else {
            f.integer("batch_size", 1, 1, 64);
        }
        clipSkip(f);
        f.advanced("schedule_type", "eta", "clip_skip");
    }

    /** steps, cfg_scale, sampler, seed, schedule_type, eta: the fields every generating command shares. */
    public static ParamForm sampler(ParamForm f) {
        return f.integer("steps", 20, 1, 1000).number("cfg_scale", 7, 0, 100, 1)
                .choice("sampler", Arrays.stream(SamplerKind.values()).map(SamplerKind::label).toList(),
                        SamplerKind.EULER_A.label())
                .integer("seed", -1, -1, Seeds.MAX)
                .choice("schedule_type", Arrays.stream(TimestepSpacing.values()).map(TimestepSpacing::label).toList(),
                        TimestepSpacing.DEFAULT.label())
                .number("eta", -1, -1, 1, 2);
    }

    /** img2img's denoising_strength (A1111's default 0.75). */
    public static ParamForm strength(ParamForm f) {
        return f.number("denoising_strength", 0.75, 0.01, 1, 2);
    }

    /** clip_skip (1 = the last layer). */
    public static ParamForm clipSkip(ParamForm f) {
        return f.integer("clip_skip", 1, 1, 12);
    }

    /** Inpainting: mask_source and A1111's inpaint settings (their names are the macro keys). */
    public static void inpaint(ParamForm f, List<String> maskSources) {
        InpaintSettings d = InpaintSettings.DEFAULTS;
        f.choice("mask_source", maskSources, maskSources.get(0))
                .integer("mask_blur", d.maskBlur(), 0, 64).integer("mask_grow", d.maskGrow(), 0, 256)
                .choice("inpaint_area", Arrays.stream(InpaintArea.values()).map(InpaintArea::label).toList(),
                        d.area().label())
                .integer("padding", d.padding(), 0, 256)
                .choice("masked_content", Arrays.stream(MaskedContent.values()).map(MaskedContent::label).toList(),
                        d.content().label())
                .integer("working_size", d.workingSize(), 64, 4096)
                .checkbox("soft_inpainting", d.softMask()).checkbox("color_match", d.colorMatch());
        f.advanced("mask_grow", "padding", "working_size", "soft_inpainting", "color_match");
    }

    /** The inpaint settings of the form. */
    public static InpaintSettings inpaintSettings(ParamForm f) {
        return new InpaintSettings((int) f.integer("mask_blur"), (int) f.integer("mask_grow"),
                InpaintArea.fromName(f.string("inpaint_area")), (int) f.integer("padding"),
                MaskedContent.fromName(f.string("masked_content")), (int) f.integer("working_size"),
                f.bool("soft_inpainting"), f.bool("color_match"));
    }

    /** One ControlNet unit: control_model (None = no unit) and its settings. */
    public static void control(ParamForm f, List<String> controlnets, List<String> imageTitles, boolean img2img,
            List<String> preprocessorModels) {
        List<String> models = new ArrayList<>(List.of(NONE));
        models.addAll(controlnets);
        List<String> images = new ArrayList<>();
        images.add(img2img ? SAME_AS_SOURCE : NONE); // a recorded line stays valid whatever images are open
        images.addAll(imageTitles);
        List<String> pre = new ArrayList<>(List.of(DEFAULT_PREPROCESSOR_MODEL));
        pre.addAll(preprocessorModels);
        f.choice("control_model", models, NONE).choice("control_image", images, images.get(0))
                .choice("preprocessor", ControlMaps.Kind.labels(), ControlMaps.Kind.NONE.label())
                .choice("preprocessor_model", pre, DEFAULT_PREPROCESSOR_MODEL)
                .number("control_weight", 1, 0, 2, 2).number("guidance_start", 0, 0, 1, 2)
                .number("guidance_end", 1, 0, 1, 2)
                .choice("control_mode", Arrays.stream(ControlMode.values()).map(ControlMode::label).toList(),
                        ControlMode.BALANCED.label())
                .choice("resize_mode", Arrays.stream(ResizeMode.values()).map(ResizeMode::label).toList(),
                        ResizeMode.CROP_AND_RESIZE.label());
        f.advanced("preprocessor_model", "guidance_start", "guidance_end", "control_mode", "resize_mode");
    }

    /** The request from the form; {@code seed} is the resolved seed (never -1). Size and init are set by the caller. */
    public static GenerationRequest.Builder request(ParamForm f, long seed) {
        GenerationRequest.Builder b = GenerationRequest.builder()
                .prompt(f.string("prompt"))
                .negativePrompt(f.string("negative_prompt"))
                .steps((int) f.integer("steps"))
                .cfg(f.number("cfg_scale"))
                .sampler(SamplerKind.fromName(f.string("sampler")))
                .spacing(TimestepSpacing.fromName(f.string("schedule_type")))
                .eta(f.number("eta") < 0 ? null : f.number("eta"))
                .seed(seed)
                .clipSkip((int) f.integer("clip_skip"));
        if (has(f, "batch_size")) {
            b.batch((int) f.integer("batch_size"));
        }
        if (has(f, "denoising_strength")) {
            b.strength(f.number("denoising_strength"));
        }
        return b;
    }

    /** True when the form has a ControlNet unit chosen. */
    public static boolean hasControl(ParamForm f) {
        return !NONE.equals(f.string("control_model"));
    }

    /** The unit of the form; {@code controlNet} and {@code preprocessorModel} (null = default) are resolved files. */
    public static ControlSpec control(ParamForm f, Path controlNet, RgbImage image, Path preprocessorModel) {
        return new ControlSpec(controlNet, image, ControlMaps.Kind.fromLabel(f.string("preprocessor")), preprocessorModel,
                f.number("control_weight"), f.number("guidance_start"), f.number("guidance_end"),
                ControlMode.fromName(f.string("control_mode")), ResizeMode.fromName(f.string("resize_mode")));
    }

    private static boolean has(ParamForm f, String key) {
        return f.fields().stream().anyMatch(x -> x.key().equals(key));
    }
}
