package org.ijdiffusion.plugin.ij.core;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
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
import org.ijdiffusion.plugin.io.EngineImages;
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
        RgbImage map = ControlMaps.map(c.preprocessor(), c.image(), c.preprocessorModel());
        return new ControlUnit(net, HintImage.fit(EngineImages.rgb(map), width, height, c.resize()), c.weight(),
                c.start(), c.end(), c.mode(), c.resize(), name, c.preprocessor().label());
    }
}
