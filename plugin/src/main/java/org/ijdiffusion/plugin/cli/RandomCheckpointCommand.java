package org.ijdiffusion.plugin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ijdiffusion.diffusion.io.DType;
import org.ijdiffusion.diffusion.model.RandomSd15;

/**
 * {@code ij-diffusion random-sd15 --out FILE [--dtype f16|f32] [--seed N]}: a developer command that
 * writes a full-size SD1.5 checkpoint of random weights (LDM single-file layout) for benchmarks and
 * memory tests at real size. Its pictures are noise.
 */
final class RandomCheckpointCommand implements Command {
    @Override
    public String name() {
        return "random-sd15";
    }

    @Override
    public String summary() {
        return "write a full-size SD1.5 checkpoint of random weights (for benchmarks)";
    }

    @Override
    public String usage() {
        return "Usage: ij-diffusion random-sd15 --out FILE.safetensors [--dtype f16|f32 (f16)] [--seed N (0)]\n"
                + "  about 2.1 GB as f16; the same seed writes the same file; its pictures are noise";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(name(), args, Set.of("out", "dtype", "seed"), Set.of());
        Path file = a.requirePath("out");
        new CommandFiles().output(a, "out").check(); // not a folder
        DType dtype = switch (a.get("dtype", "f16").toLowerCase(Locale.ROOT)) {
            case "f16" -> DType.F16;
            case "f32" -> DType.F32;
            default -> throw new UsageException("--dtype must be f16 or f32");
        };
        long t0 = System.nanoTime();
        RandomSd15.write(file, dtype, a.longValue("seed", 0));
        out.printf(Locale.ROOT, "wrote %s (%.2f GB, %s) in %.1f s%n", file, file.toFile().length() / 1e9, dtype,
                (System.nanoTime() - t0) / 1e9);
        return Main.OK;
    }
}
