package org.ijdiffusion.plugin.fuzz;

import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.accept;
import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.refuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.plugin.fuzz.FuzzCase.Expect;
import org.ijdiffusion.plugin.fuzz.FuzzCase.Invocation;

/**
 * Crafted checkpoints, each given to {@code inspect} and to {@code generate}: the two must agree
 * (inspect calls VALID exactly what generate accepts), except where only running can tell (weights
 * that overflow in the computation). A case is one {@link #model} line: a name, how to make the file,
 * and what inspect and generate must do.
 */
final class CheckpointCases {
    private static final String U = "model.diffusion_model.";
    private static final String V = "first_stage_model.";
    private static final String T = "cond_stage_model.transformer.text_model.";

    /** Makes the model file or folder in {@code dir}. */
    @FunctionalInterface
    interface Maker {
        Path make(Path dir) throws Exception;
    }

    private CheckpointCases() {
    }

    static List<FuzzCase> cases() {
        List<FuzzCase> out = new ArrayList<>();
        model(out, "valid-tiny-file", d -> Crafted.model("tiny-sd15.safetensors"), accept(), accept());
        model(out, "valid-tiny-folder", d -> Crafted.model("tiny-sd15"), accept(), accept());
        model(out, "missing-unet-tensor", d -> Crafted.tinyEdited(d, "m", t -> t.removeIf(
                x -> x.name.equals(U + "input_blocks.1.0.in_layers.2.weight"))), refuse("missing"), refuse("missing"));
        model(out, "missing-vae-tensor", d -> Crafted.tinyEdited(d, "m", t -> t.removeIf(
                x -> x.name.equals(V + "decoder.conv_out.weight"))), refuse("missing"), refuse("missing"));
        model(out, "missing-text-tensor", d -> Crafted.tinyEdited(d, "m", t -> t.removeIf(
                x -> x.name.equals(T + "final_layer_norm.weight"))), refuse("missing"), refuse("missing"));
        model(out, "transposed-weight", d -> Crafted.tinyEdited(d, "m", t -> {
            Crafted.Tensor x = Crafted.find(t, U + "input_blocks.1.1.transformer_blocks.0.ff.net.2.weight");
            x.shape = new long[] {x.shape[1], x.shape[0]};
        }), refuse("shape"), refuse("shape"));
        model(out, "flattened-weight", d -> Crafted.tinyEdited(d, "m", t -> {
            Crafted.Tensor x = Crafted.find(t, U + "input_blocks.0.0.weight");
            x.shape = new long[] {Arrays.stream(x.shape).reduce(1, (a, b) -> a * b)};
        }), refuse("shape"), refuse("shape"));
        model(out, "int16-where-float", d -> Crafted.tinyEdited(d, "m", t -> Crafted.find(t, U + "out.2.weight").dtype = DType.I16),
                refuse("floating"), refuse("floating"));
        model(out, "bool-where-float", d -> Crafted.tinyEdited(d, "m", t -> {
            Crafted.Tensor x = Crafted.find(t, V + "decoder.conv_out.bias");
            x.dtype = DType.BOOL;
            x.bytes = new byte[x.bytes.length / 2];
        }), refuse("floating"), refuse("floating"));
        model(out, "offsets-as-strings", d -> Crafted.headerEdited(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.safetensors"),
                j -> j.replaceFirst("\"data_offsets\":\\[(\\d+),(\\d+)\\]", "\"data_offsets\":[\"$1\",\"$2\"]")),
                refuse("integer"), refuse("integer"));
        model(out, "shape-with-fraction", d -> Crafted.headerEdited(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.safetensors"),
                j -> j.replaceFirst("\"shape\":\\[77,32\\]", "\"shape\":[77,32.0]")), refuse("integer"), refuse("integer"));
        model(out, "negative-dimension", d -> Crafted.headerEdited(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.safetensors"),
                j -> j.replaceFirst("\"shape\":\\[77,32\\]", "\"shape\":[-77,-32]")), refuse("negative"), refuse("negative"));
        model(out, "unknown-dtype", d -> Crafted.headerEdited(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.safetensors"),
                j -> j.replaceFirst("\"dtype\":\"F16\"", "\"dtype\":\"F8_E4M3\"")), refuse("dtype"), refuse("dtype"));
        model(out, "metadata-object", d -> Crafted.headerEdited(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.safetensors"),
                j -> "{\"__metadata__\":{\"k\":{\"nested\":1}}," + j.substring(1)), refuse("metadata"), refuse("metadata"));
        model(out, "truncated-file", d -> {
            Path f = d.resolve("m.safetensors");
            byte[] all = Files.readAllBytes(Crafted.model("tiny-sd15.safetensors"));
            Files.write(f, Arrays.copyOf(all, all.length - 1000));
            return f;
        }, refuse("truncated"), refuse("truncated"));
        model(out, "header-length-past-end", d -> {
            Path f = d.resolve("m.safetensors");
            byte[] all = Files.readAllBytes(Crafted.model("tiny-sd15.safetensors"));
            ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE / 3);
            Files.write(f, all);
            return f;
        }, refuse("header length"), refuse("header length"));
        model(out, "header-not-json", d -> Crafted.headerEdited(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.safetensors"),
                j -> "[" + j.substring(1)), refuse("JSON"), refuse("JSON"));
        model(out, "empty-file", d -> Files.write(d.resolve("m.safetensors"), new byte[0]), refuse("bytes long"),
                refuse("bytes long"));
        model(out, "pickle-by-name", d -> Files.copy(Crafted.model("tiny-sd15.safetensors"), d.resolve("m.ckpt")),
                refuse("pickle"), refuse("pickle"));
        model(out, "nan-vae-weight", d -> Crafted.tinyEdited(d, "m", t -> Crafted.fillHalf(Crafted.find(t, V + "decoder.conv_out.weight"),
                (short) 0x7E00)), refuse("NaN"), refuse("NaN"));
        model(out, "inf-unet-weight", d -> Crafted.tinyEdited(d, "m", t -> Crafted.fillHalf(Crafted.find(t, U + "out.2.weight"),
                (short) 0x7C00)), refuse("NaN or infinite"), refuse("NaN or infinite"));
        model(out, "nan-text-weight", d -> Crafted.tinyEdited(d, "m", t -> Crafted.fillHalf(Crafted.find(t, T + "final_layer_norm.weight"),
                (short) 0xFE00)), refuse("NaN"), refuse("NaN"));
        // finite weights that overflow float32 in the computation: only running can tell
        model(out, "weights-overflow-at-run", d -> Crafted.tinyEdited(d, "m", t -> {
            Crafted.Tensor x = Crafted.find(t, U + "time_embed.2.weight");
            ByteBuffer b = ByteBuffer.allocate(x.bytes.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                b.putFloat(3e38f);
            }
            x.dtype = DType.F32;
            x.bytes = b.array();
        }), accept(), refuse("produced in Unet"));
        model(out, "controlnet-as-model", d -> Crafted.model("tiny-controlnet.safetensors"), accept(), refuse("ControlNet"));
        model(out, "lora-as-model", d -> Crafted.model("tiny-lora.safetensors"), refuse("LoRA"), refuse("LoRA"));
        model(out, "vae-only-as-model", d -> Crafted.tinyEdited(d, "m", t -> t.removeIf(x -> !x.name.startsWith(V))),
                refuse("VAE"), refuse("VAE"));
        for (String heads : new String[] {"0", "-3"}) {
            model(out, "text-heads-" + heads, d -> {
                Path f = Crafted.copyTree(Crafted.model("tiny-sd15"), d.resolve("folder"));
                Path cfg = f.resolve("text_encoder/config.json");
                Files.writeString(cfg, Files.readString(cfg).replace("\"num_attention_heads\": 4",
                        "\"num_attention_heads\": " + heads));
                return f;
            }, refuse("positive"), refuse("positive"));
        }
        return out;
    }

    /** One crafted model: an {@code inspect} case and a {@code generate} case. */
    static void model(List<FuzzCase> out, String name, Maker maker, Expect inspect, Expect generate) {
        out.add(new FuzzCase("checkpoint", name + "/inspect", dir -> {
            Path m = maker.make(dir);
            return Invocation.cli(inputs(m), "inspect", "--model", m.toString()).checking((d, o) ->
                    o.out().contains("VALID: generate can use this model") ? null : "no VALID line");
        }, inspect));
        out.add(new FuzzCase("checkpoint", name + "/generate", dir -> {
            Path m = maker.make(dir);
            Path png = dir.resolve("out.png");
            return Invocation.cli(inputs(m), "generate", "--model", m.toString(), "--prompt", "a cat", "--width", "64",
                    "--height", "64", "--steps", "1", "--sampler", "euler", "--seed", "1", "--out", png.toString())
                    .checking((d, o) -> ArgumentCases.png(png, 64, 64));
        }, generate));
    }

    static List<Path> inputs(Path m) throws java.io.IOException {
        if (!Files.isDirectory(m)) {
            return List.of(m);
        }
        try (var s = Files.walk(m)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
