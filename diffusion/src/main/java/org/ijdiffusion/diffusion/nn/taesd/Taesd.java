package org.ijdiffusion.diffusion.nn.taesd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ijdiffusion.diffusion.io.ModelFileException;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.model.MappedWeights;
import org.ijdiffusion.diffusion.model.ModelProbe;
import org.ijdiffusion.diffusion.model.PrefixWeights;
import org.ijdiffusion.diffusion.model.WeightSource;
import org.ijdiffusion.diffusion.nn.ChannelsLast;
import org.ijdiffusion.diffusion.nn.LatentDecoder;
import org.ijdiffusion.diffusion.nn.Params;
import org.ijdiffusion.diffusion.nn.Precision;

/**
 * TAESD, the tiny autoencoder for SD latents (github madebyollin/taesd, MIT): a decoder of about 1 M
 * parameters for step previews and draft decodes, and its encoder. Loads the two layouts users have:
 * the A1111 / ComfyUI {@code vae_approx} files ({@code taesd_decoder.safetensors}, and
 * {@code taesd_encoder.safetensors} beside it; tensor names are Sequential indices) and the diffusers
 * {@code AutoencoderTiny} folder ({@code decoder.layers.N} = index N+1 of the decoder file,
 * {@code encoder.layers.N} = index N). Pickle files are refused. Every tensor of a file must be used.
 */
public final class Taesd implements LatentDecoder, AutoCloseable {
    private final NDManager manager;
    private final List<SafetensorsFile> files;
    private final TaesdDecoder decoder;
    private final TaesdEncoder encoder; // null when only a decoder file was given
    private final String origin;

    private Taesd(NDManager manager, List<SafetensorsFile> files, TaesdDecoder decoder, TaesdEncoder encoder,
            String origin) {
        this.manager = manager;
        this.files = files;
        this.decoder = decoder;
        this.encoder = encoder;
        this.origin = origin;
    }

    /**
     * Loads TAESD from a {@code taesd_decoder.safetensors} file (its encoder from
     * {@code taesd_encoder.safetensors} beside it when present), a {@code vae_approx} folder holding them,
     * or a diffusers AutoencoderTiny folder. The weights live in a sub-manager of {@code parent}.
     */
    public static Taesd load(Path path, NDManager parent) {
        return load(path, parent, Precision.FP32);
    }

    /**
     * As {@link #load(Path, NDManager)}, the decoder computing in {@code precision}: a model loaded in bf16
     * previews and drafts in bf16 (channels-last; with {@code -Dijd.taesd.layout=nchw}, or where the
     * channels-last kernels do not compile, in float32 NCHW); the encoder always runs in float32.
     */
    public static Taesd load(Path path, NDManager parent, Precision precision) {
        if (precision == Precision.BF16) {
            precision.requireSupported();
        }
        if (!Files.exists(path)) {
            throw new ModelFileException("TAESD not found: " + path);
        }
        List<SafetensorsFile> open = new ArrayList<>();
        NDManager m = parent.newSubManager();
        try {
            TaesdFormat format = decoderFormat(precision);
            Taesd t = Files.isDirectory(path) ? loadFolder(path, m, open, format) : loadFile(path, m, open, format);
            return t;
        } catch (RuntimeException e) {
            m.close();
            open.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Taesd loadFolder(Path dir, NDManager m, List<SafetensorsFile> open, TaesdFormat format) {
        Path weights = dir.resolve("diffusion_pytorch_model.safetensors");
        if (Files.isRegularFile(dir.resolve("config.json"))) {
            if (!Files.isRegularFile(weights)) {
                Path pickle = dir.resolve("diffusion_pytorch_model.bin");
                if (Files.exists(pickle)) {
                    ModelProbe.refusePickle(pickle);
                }
                throw new ModelFileException(dir + " has a config.json but no diffusion_pytorch_model.safetensors");
            }
            checkConfig(dir.resolve("config.json"));
            SafetensorsFile f = openFile(weights, open);
            TaesdDecoder d = decoder(MappedWeights.prefixed(f, "decoder.layers.", Taesd::shiftDecoderIndex), m, format);
            TaesdEncoder e = f.names().stream().anyMatch(n -> n.startsWith("encoder.layers."))
                    ? encoder(MappedWeights.prefixed(f, "encoder.layers.", n -> n), m) : null;
            unknownKeys(f, Set.of("decoder.layers.", "encoder.layers."));
            return new Taesd(m, open, d, e, dir.toString());
        }
        Path decoderFile = dir.resolve("taesd_decoder.safetensors");
        if (Files.isRegularFile(decoderFile)) {
            return loadFile(decoderFile, m, open, format);
        }
        throw new ModelFileException(dir + " holds neither a diffusers AutoencoderTiny (config.json) nor "
                + "taesd_decoder.safetensors");
    }

    private static Taesd loadFile(Path file, NDManager m, List<SafetensorsFile> open, TaesdFormat format) {
        ModelProbe.refusePickle(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("taesdxl") || name.contains("taesd3") || name.contains("taef1")) {
            throw new ModelFileException(file.getFileName() + " is the TAESD of another model family (SDXL, SD3 or "
                    + "FLUX latents); SD 1.x needs taesd_decoder.safetensors");
        }
        SafetensorsFile f = openFile(file, open);
        if (f.names().stream().anyMatch(n -> n.startsWith("decoder.layers."))) {
            TaesdDecoder d = decoder(MappedWeights.prefixed(f, "decoder.layers.", Taesd::shiftDecoderIndex), m, format);
            TaesdEncoder e = f.names().stream().anyMatch(n -> n.startsWith("encoder.layers."))
                    ? encoder(MappedWeights.prefixed(f, "encoder.layers.", n -> n), m) : null;
            unknownKeys(f, Set.of("decoder.layers.", "encoder.layers."));
            return new Taesd(m, open, d, e, file.toString());
        }
        if (f.names().contains("0.weight") && !f.names().contains("1.weight")
                || f.names().contains("0.weight") && f.info("0.weight").shape()[1] == 3) {
            throw new ModelFileException(file.getFileName() + " is a TAESD encoder; give the decoder "
                    + "(taesd_decoder.safetensors), the encoder beside it is loaded with it");
        }
        TaesdDecoder d = decoder(new PrefixWeights(f, ""), m, format);
        TaesdEncoder e = null;
        Path enc = file.resolveSibling(file.getFileName().toString().replace("decoder", "encoder"));
        if (!enc.equals(file) && Files.isRegularFile(enc)) {
            SafetensorsFile ef = openFile(enc, open);
            e = encoder(new PrefixWeights(ef, ""), m);
        }
        return new Taesd(m, open, d, e, file.toString());
    }

    private static SafetensorsFile openFile(Path p, List<SafetensorsFile> open) {
        ModelProbe.refusePickle(p);
        SafetensorsFile f = SafetensorsFile.open(p);
        open.add(f);
        return f;
    }

    /** diffusers' DecoderTiny has no clamp module: its layers.N is index N+1 of taesd.py's Sequential. */
    private static String shiftDecoderIndex(String n) {
        int dot = n.indexOf('.');
        return (Integer.parseInt(n.substring(0, dot)) + 1) + n.substring(dot);
    }

    /**
     * {@code -Dijd.taesd.layout=nchw} runs TAESD on contiguous NCHW arrays (the layout before channels-last,
     * kept to compare the two in one bench run); the default is channels-last when its kernels compile.
     */
    public static final String LAYOUT_PROPERTY = "ijd.taesd.layout";

    /** How the decoder loaded now holds its weights and runs: channels-last unless nchw is asked or unavailable. */
    private static TaesdFormat decoderFormat(Precision precision) {
        String v = System.getProperty(LAYOUT_PROPERTY, "channels-last");
        if (v.equalsIgnoreCase("nchw")) {
            return TaesdFormat.NCHW;
        }
        if (!v.equalsIgnoreCase("channels-last")) {
            throw new IllegalArgumentException(LAYOUT_PROPERTY + " is channels-last or nchw, not '" + v + "'");
        }
        if (!ChannelsLast.available()) {
            return TaesdFormat.NCHW;
        }
        return precision == Precision.BF16 ? TaesdFormat.BF16 : TaesdFormat.CHANNELS_LAST;
    }

    private static TaesdDecoder decoder(WeightSource w, NDManager m, TaesdFormat format) {
        Params p = new Params(w, m);
        TaesdDecoder d = new TaesdDecoder(p, format);
        refuseUnused(p, w, "decoder");
        if (d.scale() != 8 || d.outChannels() != 3) {
            throw new ModelFileException(w.origin() + ": a TAESD decoder upscaling " + d.scale() + "x to "
                    + d.outChannels() + " channels; SD 1.x needs 8x to RGB");
        }
        return d;
    }

    private static TaesdEncoder encoder(WeightSource w, NDManager m) {
        Params p = new Params(w, m);
        TaesdEncoder e = new TaesdEncoder(p);
        refuseUnused(p, w, "encoder");
        return e;
    }

    private static void refuseUnused(Params p, WeightSource w, String what) {
        Set<String> unused = p.unused();
        if (!unused.isEmpty()) {
            throw new ModelFileException(w.origin() + ": tensor '" + unused.iterator().next() + "' is not part of a "
                    + "TAESD " + what + " (" + unused.size() + " unknown tensors); the file is not a TAESD model");
        }
    }

    private static void unknownKeys(SafetensorsFile f, Set<String> prefixes) {
        for (String n : f.names()) {
            if (prefixes.stream().noneMatch(n::startsWith)) {
                throw new ModelFileException(f.path() + ": tensor '" + n + "' is not part of a TAESD model");
            }
        }
    }

    private static void checkConfig(Path config) {
        try {
            JsonObject c = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
            String cls = c.has("_class_name") ? c.get("_class_name").getAsString() : "";
            if (!cls.equals("AutoencoderTiny")) {
                throw new ModelFileException(config + " describes a " + (cls.isEmpty() ? "model without _class_name" : cls)
                        + ", not a diffusers AutoencoderTiny (TAESD)");
            }
            // taesd.py's decoder returns [0, 1] and its encoder takes [0, 1]: diffusers' AutoencoderTiny adds
            // the [-1, 1] conversion outside the layers; latent_shift/latent_magnitude only serve its 8-bit packing
            if (c.has("scaling_factor") && c.get("scaling_factor").getAsDouble() != 1.0) {
                throw new ModelFileException(config + ": scaling_factor " + c.get("scaling_factor")
                        + " (TAESD for SD 1.x works on the UNet's latents, factor 1.0)");
            }
            if (c.has("act_fn") && !c.get("act_fn").getAsString().equals("relu")) {
                throw new ModelFileException(config + ": act_fn " + c.get("act_fn") + " is not supported (TAESD uses relu)");
            }
            if (c.has("upsampling_scaling_factor") && c.get("upsampling_scaling_factor").getAsInt() != 2) {
                throw new ModelFileException(config + ": upsampling_scaling_factor "
                        + c.get("upsampling_scaling_factor") + " is not supported (TAESD upsamples 2x)");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFileException m) {
                throw m;
            }
            throw new ModelFileException("cannot read " + config + ": " + e.getMessage());
        }
    }

    /** The latent channels the decoder takes (4 for SD 1.x). */
    public long latentChannels() {
        return decoder.latentChannels;
    }

    public boolean hasEncoder() {
        return encoder != null;
    }

    /**
     * The decoder's memory layout and number format: "channels-last, fp32", "channels-last, bf16" or
     * "nchw, fp32" ({@link #LAYOUT_PROPERTY}, the precision it was loaded with); the encoder's is NCHW fp32.
     */
    public String layout() {
        return decoder.format().label();
    }

    /** Where the weights were read from. */
    public String origin() {
        return origin;
    }

    /** taesd.py's Decoder output for UNet-scale latents [B, 4, h, w]: [B, 3, 8h, 8w], about [0, 1], not clamped. */
    public NDArray decodeRaw(NDArray latents) {
        check(latents, decoder.latentChannels, "latents");
        return inSubManager(latents, decoder::forward);
    }

    /** RGB in [0, 1] of the latents (clamped): a draft of what the VAE would decode. */
    @Override
    public NDArray decode(NDArray latents) {
        check(latents, decoder.latentChannels, "latents");
        return inSubManager(latents, z -> decoder.forward(z).clip(0f, 1f));
    }

    /** taesd.py's Encoder: RGB [B, 3, H, W] in [0, 1] (H, W multiples of 8) to UNet-scale latents. */
    public NDArray encode(NDArray rgb01) {
        if (encoder == null) {
            throw new IllegalStateException("this TAESD (" + origin + ") has no encoder: put taesd_encoder.safetensors "
                    + "beside the decoder");
        }
        check(rgb01, 3, "images");
        Shape s = rgb01.getShape();
        if (s.get(2) % 8 != 0 || s.get(3) % 8 != 0) {
            throw new IllegalArgumentException("TAESD encodes images whose sides are multiples of 8, not " + s);
        }
        return inSubManager(rgb01, encoder::forward);
    }

    @Override
    public String label() {
        return "TAESD";
    }

    private static void check(NDArray x, long channels, String what) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("TAESD takes " + what + " [batch, " + channels + ", height, width], not " + s);
        }
    }

    private static NDArray inSubManager(NDArray input, java.util.function.UnaryOperator<NDArray> f) {
        NDManager parent = input.getManager();
        try (NDManager sub = parent.newSubManager()) {
            input.tempAttach(sub);
            NDList out = new NDList(f.apply(input));
            out.attach(parent);
            return out.singletonOrThrow();
        }
    }

    @Override
    public void close() {
        manager.close();
        files.forEach(SafetensorsFile::close);
    }
}
