package org.ijdiffusion.plugin.ij.core;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ijdiffusion.controlnet.ControlNet;
import org.ijdiffusion.controlnet.ControlUnit;
import org.ijdiffusion.controlnet.HintImage;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.GenerationResult;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
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

    private GenerationJob() {
    }

    /**
     * Runs {@code request} (whose size, init image and seed are final) with {@code controls} on the
     * checkpoint {@code model}. Throws GenerationCancelledException when the listener cancels.
     */
    public static synchronized GenerationResult run(Path model, Path vae, GenerationRequest.Builder request,
            List<ControlSpec> controls, ProgressListener listener) {
        GenerationRequest check = request.build(); // validate before loading anything
        SdModel sd = model(model, vae, listener);
        try (NDManager nets = sd.manager().newSubManager()) {
            for (ControlSpec c : controls) {
                request.control(unit(c, check.width(), check.height(), sd, nets, listener));
            }
            return new Pipeline(sd).generate(request.build(), listener);
        }
    }

    /**
     * Inpaints {@code mask} of {@code image} through {@link InpaintRunner} (the same runner as the command
     * line) on the kept checkpoint; each control map is made from the whole image and cut with the job's box.
     */
    public static synchronized InpaintResult inpaint(Path model, Path vae, GenerationRequest.Builder request,
            RgbImage image, Mask mask, InpaintSettings settings, List<ControlSpec> controls, ProgressListener listener) {
        SdModel sd = model(model, vae, listener);
        try (NDManager nets = sd.manager().newSubManager()) {
            List<ControlInput> inputs = new ArrayList<>();
            for (ControlSpec c : controls) {
                Loaded l = load(c, sd, nets, listener);
                inputs.add(new ControlInput(l.net(), l.map(), c.weight(), c.start(), c.end(), c.mode(), c.resize(),
                        l.name(), c.preprocessor().label()));
            }
            return InpaintRunner.run(sd, request, image, mask, settings, inputs, listener);
        }
    }

    private static SdModel model(Path model, Path vae, ProgressListener listener) {
        if (loaded != null && model.equals(loadedModel) && Objects.equals(vae, loadedVae)) {
            return loaded;
        }
        release();
        listener.onStage("Loading " + model.getFileName());
        loaded = SdModel.load(model, vae);
        loadedModel = model;
        loadedVae = vae;
        return loaded;
    }

    /** Frees the cached checkpoint (e.g. when the settings change). */
    public static synchronized void release() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
            loadedModel = null;
            loadedVae = null;
        }
    }

    private static ControlUnit unit(ControlSpec c, int width, int height, SdModel sd, NDManager nets,
            ProgressListener listener) {
        Loaded l = load(c, sd, nets, listener);
        return new ControlUnit(l.net(), HintImage.fit(EngineImages.rgb(l.map()), width, height, c.resize()), c.weight(),
                c.start(), c.end(), c.mode(), c.resize(), l.name(), c.preprocessor().label());
    }

    /** A unit's ControlNet, its infotext name and its control map at the control image's size. */
    private record Loaded(ControlNet net, String name, RgbImage map) {
    }

    private static Loaded load(ControlSpec c, SdModel sd, NDManager nets, ProgressListener listener) {
        ControlNet net;
        String name;
        listener.onStage("Loading ControlNet " + c.model().getFileName());
        try (ControlNetCheckpoint ckpt = ControlNetCheckpoint.open(c.model())) {
            net = ControlNet.load(ckpt.weights(), nets);
            String hash = ckpt.shortHash();
            name = ckpt.name() + (hash == null ? "" : " [" + hash.substring(0, Math.min(8, hash.length())) + "]");
        }
        net.checkFits(sd.unet().config());
        if (c.preprocessor() != ControlMaps.Kind.NONE) {
            listener.onStage("Preprocessing: " + c.preprocessor().label());
        }
        return new Loaded(net, name, ControlMaps.map(c.preprocessor(), c.image(), c.preprocessorModel()));
    }
}
