package org.ijdiffusion.diffusion.pipeline;

import org.ijdiffusion.diffusion.util.HugePages;
import org.ijdiffusion.diffusion.nn.Weights;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.diffusion.lora.AppliedLora;
import org.ijdiffusion.diffusion.lora.LoraSet;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.model.Checkpoint;
import org.ijdiffusion.diffusion.nn.Compute;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.diffusion.nn.taesd.Taesd;
import org.ijdiffusion.diffusion.nn.unet.Unet;
import org.ijdiffusion.diffusion.nn.unet.UnetConfig;
import org.ijdiffusion.diffusion.nn.vae.Vae;
import org.ijdiffusion.diffusion.text.ClipTextEncoder;
import org.ijdiffusion.diffusion.text.ClipTokenizer;
import org.ijdiffusion.diffusion.text.EmbeddingLibrary;
import org.ijdiffusion.diffusion.text.LoraTag;
import org.ijdiffusion.diffusion.text.PromptConditioner;

/**
 * A loaded Stable Diffusion 1.x model: text encoder, UNet and VAE with their weights in one
 * long-lived manager. Load once, generate many times; close to free the native memory.
 */
public final class SdModel implements AutoCloseable {
    static {
        // DJL's offline, no-tracking and cache settings, before its engine starts
        org.ijdiffusion.diffusion.util.DjlEnvironment.configure();
    }

    /** SD1.x latent scaling factor. */
    public static final float SCALING = 0.18215f;

    private final Checkpoint checkpoint;
    private final NDManager manager;
    private volatile PromptConditioner conditioner;
    private final Unet unet;
    private final Vae vae;
    private final List<AppliedLora> loras;
    private volatile Taesd taesd;
    /** Copies still-mapped weights into memory in the background (null when off). */
    private WeightPrefetch prefetch;

    private SdModel(Checkpoint checkpoint, NDManager manager, PromptConditioner conditioner, Unet unet, Vae vae,
            List<AppliedLora> loras) {
        this.checkpoint = checkpoint;
        this.loras = List.copyOf(loras);
        this.manager = manager;
        this.conditioner = conditioner;
        this.unet = unet;
        this.vae = vae;
    }

    /** Opens and loads a checkpoint (LDM file or diffusers folder), with an optional separate VAE. */
    public static SdModel load(Path model, Path vaeOverride) {
        return load(model, vaeOverride, List.of());
    }

    /**
     * As {@link #load(Path, Path)} with LoRAs merged into the UNet and text encoder as they load (the
     * checkpoint's own weights are never modified: loading again without LoRAs gives the base model).
     */
    public static SdModel load(Path model, Path vaeOverride, List<LoraSpec> loras) {
        return load(model, vaeOverride, loras, Precision.FP32);
    }

    /**
     * As {@link #load(Path, Path, List)}, the UNet and VAE computing in {@code precision} (the text
     * encoder in float32). bf16 is refused, before anything loads, on a CPU without native bfloat16.
     */
    public static SdModel load(Path model, Path vaeOverride, List<LoraSpec> loras, Precision precision) {
        HugePages.enable(); // before the engine's first allocation (bf16's check compiles its kernels)
        Compute compute = Compute.of(precision);
        Checkpoint ckpt = Checkpoint.open(model, vaeOverride);
        NDManager m = NDManager.newBaseManager();
        try {
            ckpt.validate();
            UnetConfig unetConfig = ckpt.unetConfig();
            try (LoraSet set = LoraSet.open(loras, ckpt.unet(), unetConfig, ckpt.textEncoder())) {
                ClipTextEncoder text = ClipTextEncoder.load(set.text(), ckpt.textConfig(), m);
                Unet unet = Unet.load(set.unet(), unetConfig, m, compute);
                Vae vae = Vae.load(ckpt.vae(), ckpt.vaeConfig(), m, compute);
                SdModel sd = new SdModel(ckpt, m, new PromptConditioner(ClipTokenizer.standard(), text), unet, vae,
                        set.applied());
                sd.prefetch = WeightPrefetch.start(ckpt.files());
                return sd;
            }
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

    /** Prompts use the textual-inversion embeddings of {@code library} from now on ({@code EMPTY}: none). */
    public void useEmbeddings(EmbeddingLibrary library) {
        conditioner = conditioner.withEmbeddings(library);
    }

    /** The precision the UNet and VAE compute in (and ControlNets loaded for this model should). */
    public Precision precision() {
        return unet.compute().precision();
    }

    public Unet unet() {
        return unet;
    }

    public Vae vae() {
        return vae;
    }

    /**
     * Loads TAESD ({@link Taesd#load}: a {@code taesd_decoder.safetensors}, a {@code vae_approx} folder or a
     * diffusers AutoencoderTiny folder) for step previews and draft decodes, replacing one loaded before;
     * {@code null} unloads it. Its latent channels must be the VAE's.
     */
    public synchronized void useTaesd(Path path) {
        Taesd next = null;
        if (path != null) {
            next = Taesd.load(path, manager, precision());
            if (next.latentChannels() != vae.config().zChannels()) {
                long c = next.latentChannels();
                next.close();
                throw new org.ijdiffusion.diffusion.io.ModelFileException("TAESD " + path + " decodes " + c
                        + "-channel latents but this model's VAE has " + vae.config().zChannels());
            }
        }
        Taesd old = taesd;
        taesd = next;
        if (old != null) {
            old.close();
        }
    }

    /** The TAESD loaded with {@link #useTaesd}, or null. */
    public Taesd taesd() {
        return taesd;
    }

    /** The LoRAs merged into this model (empty for the base model). */
    public List<AppliedLora> loras() {
        return loras;
    }

    /**
     * Fails with a message when a prompt's {@code <lora:name:..>} tags ask for a LoRA this model was not
     * loaded with, or with other multipliers: LoRAs are merged at load time, never silently ignored.
     */
    public void checkLoraTags(List<LoraTag> tags) {
        for (LoraTag t : tags) {
            boolean loaded = loras.stream().anyMatch(a -> a.name().equals(t.name())
                    && a.spec().unetWeight() == t.unetWeight() && a.spec().textWeight() == t.textWeight());
            if (!loaded) {
                throw new IllegalArgumentException("The prompt asks for <lora:" + t.name() + ":" + Infotext.number(t.textWeight())
                        + (t.unetWeight() != t.textWeight() ? ":" + Infotext.number(t.unetWeight()) : "")
                        + "> but the model was loaded " + (loras.isEmpty() ? "without LoRAs" : "with "
                        + String.join(", ", loras.stream().map(a -> a.name() + " (unet " + Infotext.number(a.spec().unetWeight())
                                + ", te " + Infotext.number(a.spec().textWeight()) + ")").toList()))
                        + ". LoRAs are merged when the model loads: load it again with the prompt's LoRAs.");
            }
        }
    }

    /**
     * Waits until the background weight prefetch has made every copy; how many it made (-1: prefetch
     * off). For tests and measurements.
     */
    int awaitPrefetch() throws InterruptedException {
        return prefetch == null ? -1 : prefetch.await();
    }

    @Override
    public void close() {
        if (prefetch != null) {
            prefetch.close();
        }
        Weights.releaseScratch();
        if (taesd != null) {
            taesd.close();
            taesd = null;
        }
        manager.close();
        checkpoint.close();
    }
}
