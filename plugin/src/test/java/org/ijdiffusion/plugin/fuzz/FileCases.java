package org.ijdiffusion.plugin.fuzz;

import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.accept;
import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.either;
import static org.ijdiffusion.plugin.fuzz.FuzzCase.Expect.refuse;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ijdiffusion.diffusion.pipeline.FloatImage;
import org.ijdiffusion.diffusion.pipeline.GenerationRequest;
import org.ijdiffusion.diffusion.pipeline.Pipeline;
import org.ijdiffusion.diffusion.pipeline.ProgressListener;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
import org.ijdiffusion.diffusion.testutil.WithProperty;
import org.ijdiffusion.plugin.fuzz.FuzzCase.Invocation;
import org.ijdiffusion.plugin.fuzz.FuzzCase.Outcome;

/**
 * Files that are not what they seem or change under a run: pipes and devices named like models, a
 * checkpoint truncated, overwritten or replaced while a generation uses it, a run killed with
 * SIGKILL, a disk that fills up (a child JVM under {@code ulimit -f}: a size-limited file system
 * without root).
 */
final class FileCases {
    private FileCases() {
    }

    /** What a file-changing case does to the model once it is loaded, before the first UNet step. */
    @FunctionalInterface
    interface Change {
        void apply(Path model) throws Exception;
    }

    static List<FuzzCase> cases() {
        List<FuzzCase> out = new ArrayList<>();
        out.add(new FuzzCase("files", "fifo-as-model", dir -> {
            Path fifo = dir.resolve("x.safetensors");
            new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
            return Invocation.cli(List.of(), "inspect", "--model", fifo.toString());
        }, refuse("not a regular file")));
        out.add(new FuzzCase("files", "fifo-as-generate-model", dir -> {
            Path fifo = dir.resolve("x.safetensors");
            new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
            return Invocation.cli(List.of(), "generate", "--model", fifo.toString(), "--prompt", "x", "--width", "64",
                    "--height", "64", "--out", dir.resolve("o.png").toString());
        }, refuse("not a regular file")));
        out.add(new FuzzCase("files", "device-as-model", dir -> Invocation.cli(List.of(), "inspect", "--model",
                "/dev/zero"), refuse("not a regular file")));
        out.add(new FuzzCase("files", "folder-as-model", dir -> Invocation.cli(List.of(), "inspect", "--model",
                dir.toString()), refuse("")));
        out.add(new FuzzCase("files", "missing-model", dir -> Invocation.cli(List.of(), "inspect", "--model",
                dir.resolve("none.safetensors").toString()), refuse("not found")));
        // changed while in use: after the load (weights mapped, not yet read), before the first UNet step;
        // with the background prefetch off, so that the UNet's weights are read after the change
        Change truncate = m -> {
            try (var ch = java.nio.channels.FileChannel.open(m, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(Files.size(m) / 2);
            }
        };
        Change overwrite = m -> {
            Files.write(m, new byte[(int) Files.size(m)]);
            // coarse file-system clocks: make the modification visible as a real overwrite would
            Files.setLastModifiedTime(m, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        };
        inUse(out, "truncated-while-in-use", false, truncate, refuse("changed on disk while in use"));
        inUse(out, "overwritten-in-place-while-in-use", false, overwrite, refuse("changed on disk while in use"));
        // with the prefetch on (as users run), the change races the background reads: weights read before
        // it are the file's, those after it are refused; never a crash or a wrong picture
        inUse(out, "truncated-while-prefetching", true, truncate, either("changed on disk while in use"));
        inUse(out, "overwritten-while-prefetching", true, overwrite, either("changed on disk while in use"));
        inUse(out, "replaced-by-rename-while-in-use", true, m -> {
            Path other = m.resolveSibling("other.safetensors");
            Files.write(other, new byte[] {1, 2, 3});
            Files.move(other, m, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }, accept());
        out.add(new FuzzCase("files", "sigkill-during-generate", FileCases::killed, either(null)));
        out.add(new FuzzCase("files", "disk-full-writing-png", FileCases::diskFull, refuse("too large|space|writ|cannot")));
        return out;
    }

    private static GenerationRequest request() {
        return GenerationRequest.builder().prompt("a cat").size(64, 64).steps(2).sampler(SamplerKind.EULER).seed(7)
                .build();
    }

    /**
     * Loads a copy of the tiny model, applies {@code change} when the prompt is encoded (weights loaded
     * and mapped; without {@code prefetch}, UNet weights not yet read) and runs on: the result must be a
     * clear error, or the same picture as an undisturbed run.
     */
    static void inUse(List<FuzzCase> out, String name, boolean prefetch, Change change, FuzzCase.Expect expect) {
        out.add(new FuzzCase("files", name, dir -> {
            Path m = Files.copy(Crafted.model("tiny-sd15.safetensors"), dir.resolve("m.safetensors"));
            float[] reference;
            try (SdModel sd = SdModel.load(Crafted.model("tiny-sd15.safetensors"), null)) {
                reference = new Pipeline(sd).generate(request(), null).images().get(0).data();
            }
            float[][] got = new float[1][];
            Invocation inv = new Invocation(d -> CliRunner.library(() -> {
                try (SdModel sd = WithProperty.get("ijd.prefetch", Boolean.toString(prefetch),
                        () -> SdModel.load(m, null))) {
                    got[0] = new Pipeline(sd).generate(request(), new ProgressListener() {
                        @Override
                        public void onStage(String stage) {
                            if (stage.startsWith("Encoding prompt")) {
                                try {
                                    change.apply(m);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        }

                        @Override
                        public void onStep(int step, int total, double s, Supplier<FloatImage> preview) {
                        }
                    }).images().get(0).data();
                }
            }), List.of(), (d, o) -> Arrays.equals(reference, got[0]) ? null : "the picture differs from an undisturbed run");
            return inv;
        }, expect));
    }

    /** A child JVM's command line for {@code Main} with this test's class path. */
    static List<String> javaMain(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-Xmx1g");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.ijdiffusion.plugin.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** SIGKILL once the first step is reported: the model is unchanged and no output file is left. */
    private static Invocation killed(Path dir) throws Exception {
        Path m = Files.copy(Crafted.model("tiny-sd15.safetensors"), dir.resolve("m.safetensors"));
        Path png = dir.resolve("out.png");
        return new Invocation(d -> {
            Process p = new ProcessBuilder(javaMain("generate", "--model", m.toString(), "--prompt", "x", "--width", "128",
                    "--height", "128", "--steps", "200", "--seed", "1", "--out", png.toString()))
                    .redirectErrorStream(true).start();
            StringBuilder log = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    log.append(line).append('\n');
                    if (line.startsWith("step 2/")) {
                        p.destroyForcibly(); // SIGKILL
                        break;
                    }
                }
            }
            p.waitFor(60, TimeUnit.SECONDS);
            if (!log.toString().contains("step 2/")) {
                return new Outcome(1, "", "the child never reached step 2:\n" + log, null, false);
            }
            return new Outcome(0, "killed at step 2", "", null, false);
        }, List.of(m), (d, o) -> Files.exists(png) ? "a file was left at the output path" : null);
    }

    /** A child JVM whose files may not grow past 48 KB writes a 256x256 noise PNG (~190 KB). */
    private static Invocation diskFull(Path dir) throws Exception {
        Path m = Files.copy(Crafted.model("tiny-sd15.safetensors"), dir.resolve("m.safetensors"));
        Path png = dir.resolve("out.png");
        return new Invocation(d -> {
            List<String> java = javaMain("generate", "--model", m.toString(), "--prompt", "x", "--width", "256",
                    "--height", "256", "--steps", "1", "--seed", "1", "--out", png.toString());
            StringBuilder sh = new StringBuilder("ulimit -f 48; exec");
            for (String a : java) {
                sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
            }
            Process p = new ProcessBuilder("bash", "-c", sh.toString()).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            String err = stderr.lines().filter(l -> !l.startsWith("step ") && !l.startsWith("Encoding")
                    && !l.startsWith("Decoding") && !l.startsWith("note:") && !l.startsWith("SLF4J")).reduce("", (a, b) -> a + b + "\n");
            return new Outcome(p.exitValue(), stdout, err, null, false);
        }, List.of(m), null);
    }
}
