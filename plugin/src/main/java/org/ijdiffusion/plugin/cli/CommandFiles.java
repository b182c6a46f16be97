package org.ijdiffusion.plugin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.plugin.io.OutputClash;
import org.ijdiffusion.plugin.io.OutputClash.Named;
import org.ijdiffusion.plugin.io.OutputFiles;

/** The input and output files of a command line, for {@link OutputClash#check} before any work. */
final class CommandFiles {
    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /** Adds {@code --option}'s path as an input when the option is given. */
    CommandFiles input(Args a, String option) {
        if (a.has(option)) {
            input("--" + option, a.path(option));
        }
        return this;
    }

    CommandFiles input(String option, Path p) {
        if (p != null) {
            inputs.add(OutputClash.named(option, p));
        }
        return this;
    }

    /** Adds {@code --option}'s path as an output when the option is given. */
    CommandFiles output(Args a, String option) {
        if (a.has(option)) {
            outputs.add(OutputClash.named("--" + option, a.path(option)));
        }
        return this;
    }

    /** The files of a batch written from {@code --out}. */
    CommandFiles batchOutput(Args a, int batch) {
        for (Path p : OutputFiles.batchNames(a.requirePath("out"), Math.max(1, batch))) {
            outputs.add(OutputClash.named("--out", p));
        }
        return this;
    }

    /** Throws an OutputClashException (exit 2) when an output is an input, another output or a folder. */
    void check() {
        OutputClash.check(outputs, inputs);
    }

    /** Every file a generate command line reads. */
    static CommandFiles generate(Args a, List<ControlOptions.Unit> units, List<LoraSpec> loras) {
        CommandFiles f = new CommandFiles();
        for (String o : new String[] {"model", "vae", "init", "mask", "lora-dir", "embeddings-dir"}) {
            f.input(a, o);
        }
        for (LoraSpec l : loras) {
            f.input("--lora", l.file());
        }
        for (ControlOptions.Unit u : units) {
            f.input("--control", u.model()).input("--control-image", u.image())
                    .input("--preprocessor-model", u.preprocessorModel());
        }
        return f;
    }
}
