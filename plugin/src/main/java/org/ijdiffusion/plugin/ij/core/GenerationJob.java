package org.ijdiffusion.plugin.ij.core;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ijdiffusion.controlnet.ControlNet;
import org.ijdiffusion.controlnet.ControlUnit;
import org.ijdiffusion.controlnet.HintImage;
import org.ijdiffusion.diffusion.lora.LoraLibrary;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.text.EmbeddingLibrary;
import org.ijdiffusion.plugin.inpaint.ControlInput;
import org.ijdiffusion.plugin.inpaint.InpaintResult;
import org.ijdiffusion.plugin.inpaint.InpaintRunner;
import org.ijdiffusion.plugin.inpaint.InpaintSettings;
import org.ijdiffusion.plugin.io.EngineImages;
import org.ijdiffusion.preprocessors.mask.Mask;
import org.ijdiffusion.preprocessors.RgbImage;

/**
 * One generation (txt2img or img2img, with optional ControlNet units) on a checkpoint kept loaded
 * between runs (loading SD1.5 takes seconds; the last model is reused while its path and VAE stay the
 * same). One generation at a time. No ImageJ here.
 */
public final class GenerationJob {
    private static SdModel loaded;
    private static Path loadedModel;
    private static Path loadedVae;
    private static List<LoraSpec> loadedLoras = List.of();
    /** The precision the next model loads in (Diffusion Settings); a change reloads the model. */
    private static Precision precision = Precision.FP32;
    /** ControlNets loaded once and reused across runs, freed with the checkpoint. */
    private static final Map<Path, Loaded> NETS = new HashMap<>();
    private static NDManager netsManager;
    /** TAESD for previews (null: none), loaded into the kept checkpoint. */
    private static Path taesd;
    private static Path loadedTaesd;
    /** The embeddings folders of the settings (A1111 / ComfyUI layouts), applied to the model at each run. */
    private static List<Path> embeddingDirs = List.of();

    private GenerationJob() {
    }

    /** The TAESD decoder the next runs preview with ({@code taesd_decoder.safetensors}; null = none). */
    public static synchronized void taesd(Path decoder) {
        taesd = decoder;
    }

    /**
     * Runs {@code request} (whose size, init image and seed are final) with {@code controls} on the
     * checkpoint {@code model}. Throws GenerationCancelledException when the listener cancels.
     */
    public static synchronized GenerationResult run(Path model, Path vae, GenerationRequest.Builder request,
            List<ControlSpec> controls, ProgressListener listener) {
        return run(model, vae, null, request, controls, listener);
    }

    /** As above; the prompt's {@code <lora:name:w>} tags are looked up in {@code loraDir} (null: none given). */
    public static synchronized GenerationResult run(Path model, Path vae, Path loraDir, GenerationRequest.Builder request,
            List<ControlSpec> controls, ProgressListener listener) {
        GenerationRequest check = request.build(); // validate before loading anything
        SdModel sd = model(model, vae, loras(check.prompt(), loraDir), listener);
        for (ControlSpec c : controls) {
            request.control(unit(c, check.width(), check.height(), sd, listener));
        }
        return new Pipeline(sd).generate(request.build(), listener);
    }

    /**
     * Inpaints {@code mask} of {@code image} through {@link InpaintRunner} (the same runner as the command
     * line) on the kept checkpoint; each control map is made from the whole image and cut with the job's box.
     */
    public static synchronized InpaintResult inpaint(Path model, Path vae, Path loraDir, GenerationRequest.Builder request,
            RgbImage image, Mask mask, InpaintSettings settings, List<ControlSpec> controls, ProgressListener listener) {
        SdModel sd = model(model, vae, loras(request.build().prompt(), loraDir), listener);
        List<ControlInput> inputs = new ArrayList<>();
        for (ControlSpec c : controls) {
            Loaded l = net(c, sd, listener);
            inputs.add(new ControlInput(l.net(), map(c, listener), c.weight(), c.start(), c.end(), c.mode(), c.resize(),
                    l.name(), c.preprocessor().module()));
        }
        return InpaintRunner.run(sd, request, image, mask, settings, inputs, listener);
    }

    /** The precision (fp32 or bf16) of the models loaded from now on; the kept model reloads when it differs. */
    public static synchronized void precision(Precision p) {
        precision = p;
    }

    /**
     * The textual-inversion folders prompts use from the next run on (the settings' embeddings folders,
     * e.g. from {@code ModelFolders.searched(ModelKind.EMBEDDING)}); empty: none.
     */
    public static synchronized void embeddings(List<Path> dirs) {
        embeddingDirs = List.copyOf(dirs);
    }

    /** The LoRAs a prompt's tags ask for, from {@code loraDir}. */
    private static List<LoraSpec> loras(String prompt, Path loraDir) {
        return LoraLibrary.fromPrompt(prompt, loraDir == null ? null : LoraLibrary.scan(loraDir));
    }

    /** The kept checkpoint, reloaded when the model, VAE or LoRAs change (LoRAs are merged at load). */
    private static SdModel model(Path model, Path vae, List<LoraSpec> loras, ProgressListener listener) {
        if (loaded != null && model.equals(loadedModel) && Objects.equals(vae, loadedVae) && loras.equals(loadedLoras)
                && loaded.precision() == precision) {
            return withEmbeddings(withTaesd(loaded, listener));
        }
        release();
        listener.onStage("Loading " + model.getFileName());
        loaded = SdModel.load(model, vae, loras, precision);
        loadedModel = model;
        loadedVae = vae;
        loadedLoras = List.copyOf(loras);
        return withEmbeddings(withTaesd(loaded, listener));
    }

    private static SdModel withTaesd(SdModel sd, ProgressListener listener) {
        if (!Objects.equals(taesd, loadedTaesd)) {
            if (taesd != null) {
                listener.onStage("Loading TAESD " + taesd.getFileName());
            }
            sd.useTaesd(taesd);
            loadedTaesd = taesd;
        }
        return sd;
    }

    /** The folders are listed again at each run, so embeddings added since are found. */
    private static SdModel withEmbeddings(SdModel sd) {
        sd.useEmbeddings(EmbeddingLibrary.scan(embeddingDirs));
        return sd;
    }

    /** Frees the cached checkpoint (e.g. when the settings change). */
    public static synchronized void release() {
        NETS.clear();
        netsManager = null; // a child of the checkpoint's manager: closed with it
        if (loaded != null) {
            loaded.close();
            loaded = null;
            loadedModel = null;
            loadedVae = null;
            loadedLoras = List.of();
        }
        loadedTaesd = null;
    }

    private static ControlUnit unit(ControlSpec c, int width, int height, SdModel sd, ProgressListener listener) {
        Loaded l = net(c, sd, listener);
        return new ControlUnit(l.net(), HintImage.fit(EngineImages.rgb(map(c, listener)), width, height, c.resize()),
                c.weight(), c.start(), c.end(), c.mode(), c.resize(), l.name(), c.preprocessor().module());
    }

    /** A loaded ControlNet and its infotext name. */
    private record Loaded(ControlNet net, String name) {
    }

    /** The unit's ControlNet, loaded on first use and kept with the checkpoint. */
    private static Loaded net(ControlSpec c, SdModel sd, ProgressListener listener) {
        Loaded cached = NETS.get(c.model());
        if (cached != null) {
            return cached;
        }
        if (netsManager == null) {
            netsManager = sd.manager().newSubManager();
        }
        NDManager nets = netsManager;
        ControlNet net;
        String name;
        listener.onStage("Loading ControlNet " + c.model().getFileName());
        try (ControlNetCheckpoint ckpt = ControlNetCheckpoint.open(c.model())) {
            ckpt.validate();
            net = ControlNet.load(ckpt, nets, sd.unet().compute());
            name = ckpt.infotextName();
        }
        net.checkFits(sd.unet().config());
        Loaded l = new Loaded(net, name);
        NETS.put(c.model(), l);
        return l;
    }

    /** The unit's control map at the control image's size (the image itself, or a preprocessor's map). */
    private static RgbImage map(ControlSpec c, ProgressListener listener) {
        if (c.preprocessor() != ControlMaps.Kind.NONE) {
            listener.onStage("Preprocessing: " + c.preprocessor().label());
        }
        return ControlMaps.map(c.preprocessor(), c.image(), c.preprocessorModel());
    }
}
