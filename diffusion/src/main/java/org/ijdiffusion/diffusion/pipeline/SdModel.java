package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.nn.unet.Unet;
import org.ijdiffusion.diffusion.nn.vae.Vae;
import org.ijdiffusion.diffusion.text.ClipTextEncoder;
import org.ijdiffusion.diffusion.text.ClipTokenizer;
import org.ijdiffusion.diffusion.text.PromptConditioner;

/**
 * A loaded Stable Diffusion 1.x model: text encoder, UNet and VAE with their weights in one
 * long-lived manager. Load once, generate many times; close to free the native memory.
 */
public final class SdModel implements AutoCloseable {
    /** SD1.x latent scaling factor. */
    public static final float SCALING = 0.18215f;

    private final Checkpoint checkpoint;
    private final NDManager manager;
    private final PromptConditioner conditioner;
    private final Unet unet;
    private final Vae vae;

    private SdModel(Checkpoint checkpoint, NDManager manager, PromptConditioner conditioner, Unet unet, Vae vae) {
        this.checkpoint = checkpoint;
        this.manager = manager;
        this.conditioner = conditioner;
        this.unet = unet;
        this.vae = vae;
    }

    /** Opens and loads a checkpoint (LDM file or diffusers folder), with an optional separate VAE. */
    public static SdModel load(Path model, Path vaeOverride) {
        Checkpoint ckpt = Checkpoint.open(model, vaeOverride);
        NDManager m = NDManager.newBaseManager();
        try {
            ClipTextEncoder text = ClipTextEncoder.load(ckpt.textEncoder(), ckpt.textConfig(), m);
            Unet unet = Unet.load(ckpt.unet(), ckpt.unetConfig(), m);
            Vae vae = Vae.load(ckpt.vae(), ckpt.vaeConfig(), m);
            return new SdModel(ckpt, m, new PromptConditioner(ClipTokenizer.standard(), text), unet, vae);
        } catch (RuntimeException e) {
            m.close();
            ckpt.close();
            throw e;
        }
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public NDManager manager() {
        return manager;
    }

    public PromptConditioner conditioner() {
        return conditioner;
    }

    public Unet unet() {
        return unet;
    }

    public Vae vae() {
        return vae;
    }

    @Override
    public void close() {
        manager.close();
        checkpoint.close();
    }
}
