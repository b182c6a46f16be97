package org.ijdiffusion.plugin.fuzz;

import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.accept;
import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.refuse;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.ijdiffusion.plugin.fuzz.FuzzCase.Expect;
import org.ijdiffusion.plugin.fuzz.FuzzCase.Invocation;

/**
 * Bad arguments and sizes beyond the machine, for generate, preprocess, render-pose and inspect.
 * A case is one {@link #cli} line: name, expectation, and the arguments, where {@code {model}},
 * {@code {out}}, {@code {img}}, {@code {mask}}, {@code {strip}}, {@code {pose}} stand for files made in the case's
 * folder. The corpus runs with {@code -Dijdiffusion.memory.available} fixed ({@link FuzzCorpusTest}) so
 * that the size limits do not depend on the machine.
 */
final class ArgumentCases {
    private ArgumentCases() {
    }

    static List<FuzzCase> cases() {
        List<FuzzCase> out = new ArrayList<>();
        // sizes beyond the machine: on a full-size SD1.5 header (sparse file), refused before any weight is read
        String[] big = {"generate", "--model", "{sd15}", "--prompt", "a cat", "--steps", "1", "--sampler", "euler",
            "--seed", "1", "--out", "{out}"};
        String[] gen = {"generate", "--model", "{model}", "--prompt", "a cat", "--steps", "1", "--sampler", "euler",
            "--seed", "1", "--out", "{out}"};
        cli(out, "generate-width-100000", refuse("needs ~[0-9.]+ GB of memory .* GB available; try a smaller size"),
                big, "--width", "100000", "--height", "512");
        cli(out, "generate-100000x100000", refuse("needs ~|Java array"), big, "--width", "100000", "--height", "100000");
        cli(out, "generate-width-2147483640", refuse("Java array|needs ~"), big, "--width", "2147483640", "--height", "64");
        cli(out, "generate-batch-64-at-2048", refuse("needs ~.*smaller size or batch"), big, "--width", "2048", "--height",
                "2048", "--batch", "64");
        cli(out, "img2img-8192", refuse("needs ~"), big, "--init", "{img}", "--width", "8192", "--height", "8192");
        cli(out, "inpaint-working-size-4096", refuse("needs ~"), gen, "--init", "{img}", "--mask", "{mask}",
                "--inpaint-area", "masked", "--working-size", "4096");
        cli(out, "generate-width-63", refuse("multiple of 8"), gen, "--width", "63", "--height", "64");
        cli(out, "generate-width-negative", refuse("width"), gen, "--width", "-64", "--height", "64");
        cli(out, "generate-width-text", refuse("width"), gen, "--width", "abc", "--height", "64");
        cli(out, "generate-steps-0", refuse("steps"), gen, "--width", "64", "--height", "64", "--steps", "0");
        cli(out, "generate-cfg-nan", refuse("cfg"), gen, "--width", "64", "--height", "64", "--cfg", "NaN");
        cli(out, "generate-seed-negative", refuse("seed"), gen, "--width", "64", "--height", "64", "--seed", "-5");
        cli(out, "generate-batch-1000", refuse("batch"), gen, "--width", "64", "--height", "64", "--batch", "1000");
        cli(out, "generate-unknown-sampler", refuse("sampler"), gen, "--width", "64", "--height", "64", "--sampler", "nope");
        cli(out, "generate-unknown-option", refuse("unknown option|--frobnicate"), gen, "--frobnicate", "1");
        cli(out, "generate-no-prompt", refuse("prompt"), new String[] {"generate", "--model", "{model}", "--out", "{out}"});
        cli(out, "generate-missing-init", refuse("not found|no such|cannot"), gen, "--width", "64", "--height", "64",
                "--init", "{missing}");
        cli(out, "generate-64", accept(), gen, "--width", "64", "--height", "64");
        cli(out, "openpose-strip-1x2000", refuse("needs ~.*--resolution"), new String[] {"preprocess", "openpose",
            "--in", "{strip}", "--out", "{out}"});
        cli(out, "canny-strip-1x2000", refuse("needs ~.*--resolution"), new String[] {"preprocess", "canny",
            "--in", "{strip}", "--out", "{out}"});
        cli(out, "canny-resolution-10", refuse("at least 64"), new String[] {"preprocess", "canny", "--in", "{img}",
            "--out", "{out}", "--resolution", "10"});
        cli(out, "canny-size-100000", refuse("needs ~|Java array"), new String[] {"preprocess", "canny", "--in", "{img}",
            "--out", "{out}", "--width", "100000", "--height", "100000"});
        cli(out, "canny-64", accept(), new String[] {"preprocess", "canny", "--in", "{img}", "--out", "{out}",
            "--resolution", "64"});
        cli(out, "render-pose-100000", refuse("needs ~|Java array"), new String[] {"render-pose", "--pose", "{pose}",
            "--out", "{out}", "--width", "100000", "--height", "100000"});
        cli(out, "render-pose-huge-width", refuse("needs ~|Java array"), new String[] {"render-pose", "--pose", "{pose}",
            "--out", "{out}", "--width", "2147483647", "--height", "2"});
        cli(out, "render-pose-ok", accept(), new String[] {"render-pose", "--pose", "{pose}", "--out", "{out}"});
        cli(out, "inspect-no-model", refuse("--model"), new String[] {"inspect"});
        // outputs that would overwrite an input (every input is CRC-checked: an overwrite is "wrong")
        String[] noOut = {"generate", "--model", "{model}", "--prompt", "a cat", "--steps", "1", "--sampler", "euler",
            "--seed", "1", "--width", "64", "--height", "64"};
        cli(out, "out-is-init", refuse("is the --init file"), noOut, "--init", "{img}", "--out", "{img}");
        cli(out, "out-is-init-via-dotdot", refuse("is the --init file"), noOut, "--init", "{img}", "--out", "{dir}/x/../in.png");
        cli(out, "out-is-mask", refuse("is the --mask file"), noOut, "--init", "{img}", "--mask", "{mask}", "--out", "{mask}");
        cli(out, "out-is-model", refuse("is the --model file"), noOut, "--out", "{model}");
        cli(out, "batch-output-is-init", refuse("is the --init file"), noOut, "--init", "{dir}/f-1.png", "--batch", "2",
                "--out", "{dir}/f.png");
        cli(out, "out-is-folder", refuse("is a folder"), noOut, "--out", "{dir}");
        cli(out, "preprocess-out-is-in", refuse("is the --in file"), new String[] {"preprocess", "canny", "--in", "{img}",
            "--out", "{img}"});
        cli(out, "render-pose-out-is-pose", refuse("is the --pose file"), new String[] {"render-pose", "--pose", "{pose}",
            "--out", "{pose}"});
        cli(out, "preprocess-pose-json-is-in", refuse("is the --in file"), new String[] {"preprocess", "openpose", "--in",
            "{img}", "--out", "{out}", "--pose-json", "{img}"});
        // CLI hygiene: a repeated option is refused, not silently the last value
        cli(out, "repeated-steps", refuse("--steps is given twice"), gen, "--width", "64", "--height", "64", "--steps", "2");
        cli(out, "repeated-prompt", refuse("--prompt is given twice"), gen, "--width", "64", "--height", "64", "--prompt",
                "a dog");
        return out;
    }

    /** One command line; its accepted result is checked to be a PNG when it writes {@code {out}}. */
    static void cli(List<FuzzCase> out, String name, Expect expect, String[] base, String... more) {
        out.add(new FuzzCase("arguments", name, dir -> {
            boolean big = args(base, more).contains("{sd15}");
            Path model = big ? Crafted.sparseSd15(dir) : Crafted.model("tiny-sd15.safetensors");
            Path png = dir.resolve("out.png");
            Path img = image(dir.resolve("in.png"), 96, 80);
            Path mask = mask(dir.resolve("mask.png"), 96, 80);
            Path strip = image(dir.resolve("strip.png"), 1, 2000);
            Files.createDirectories(dir.resolve("x"));
            Path batchInit = image(dir.resolve("f-1.png"), 64, 64);
            Path pose = dir.resolve("pose.json");
            StringBuilder k = new StringBuilder();
            for (int i = 0; i < 18; i++) {
                k.append(k.length() == 0 ? "" : ",").append(10 + 2 * i).append(',').append(8 + 3 * i).append(",1");
            }
            Files.writeString(pose, "{\"canvas_width\":64,\"canvas_height\":64,\"people\":[{\"pose_keypoints_2d\":["
                    + k + "]}]}");
            List<String> args = new ArrayList<>();
            for (String[] part : new String[][] {base, more}) {
                for (String a : part) {
                    args.add(a.replace("{model}", model.toString()).replace("{sd15}", model.toString()).replace("{out}", png.toString())
                            .replace("{img}", img.toString()).replace("{mask}", mask.toString())
                            .replace("{strip}", strip.toString()).replace("{pose}", pose.toString())
                            .replace("{missing}", dir.resolve("missing.png").toString())
                            .replace("{dir}", dir.toString()));
                }
            }
            // the sparse header's 2 GB of holes are not hashed: it is made for the case and refused unread
            List<Path> inputs = big ? List.of(img, mask, strip, pose, batchInit)
                    : List.of(model, img, mask, strip, pose, batchInit);
            return Invocation.cli(inputs, args.toArray(new String[0]))
                    .checking((d, o) -> png(png, -1, -1));
        }, expect));
    }

    private static List<String> args(String[] base, String[] more) {
        List<String> l = new ArrayList<>(List.of(base));
        l.addAll(List.of(more));
        return l;
    }

    static Path image(Path f, int w, int h) throws java.io.IOException {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ImageIO.write(b, "png", f.toFile());
        return f;
    }

    static Path mask(Path f, int w, int h) throws java.io.IOException {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = h / 4; y < h / 2; y++) {
            for (int x = w / 4; x < w / 2; x++) {
                b.getRaster().setSample(x, y, 0, 255);
            }
        }
        ImageIO.write(b, "png", f.toFile());
        return f;
    }

    /** Null when {@code f} is a readable PNG of that size (-1: any), else what is wrong. */
    static String png(Path f, int w, int h) throws java.io.IOException {
        if (!Files.isRegularFile(f)) {
            return "no output file " + f.getFileName();
        }
        BufferedImage b = ImageIO.read(f.toFile());
        if (b == null) {
            return f.getFileName() + " is not a readable image";
        }
        if (w > 0 && (b.getWidth() != w || b.getHeight() != h)) {
            return f.getFileName() + " is " + b.getWidth() + "x" + b.getHeight() + ", not " + w + "x" + h;
        }
        return null;
    }
}
