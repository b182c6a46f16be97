package org.ijdiffusion.plugin.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ijdiffusion.controlnet.ControlNet;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.model.ControlNetCheckpoint;
import org.ijdiffusion.diffusion.pipeline.SdModel;

/**
 * Where a generate command line gets its loaded weights: {@link #fresh()} loads them for the one run
 * and frees them after it ({@code generate}); a batch keeps them for the next job that uses the same
 * model, LoRA set and ControlNets ({@code org.ijdiffusion.plugin.cli.batch.ModelCache}).
 */
public interface ModelSource {
    /** The checkpoint of command line {@code a} (its --model, --vae, --precision, --taesd, --embeddings-dir) with {@code loras}. */
    Lease open(Args a, List<LoraSpec> loras, PrintStream err);

    /** A loaded model for one run; closing it ends the run's use (a cache keeps the weights). */
    interface Lease extends AutoCloseable {
        SdModel model();

        /** The ControlNet in {@code file}, computing in the model's UNet precision. */
        Net controlNet(Path file) throws IOException;

        @Override
        void close();
    }

    /** A loaded ControlNet and its infotext name. */
    record Net(ControlNet net, String name) {
    }

    /** Loads everything for each run and frees it after (what {@code generate} does). */
    static ModelSource fresh() {
        return (a, loras, err) -> {
            SdModel sd = load(a, loras, err);
            NDManager nets = sd.manager().newSubManager();
            return new Lease() {
                @Override
                public SdModel model() {
                    return sd;
                }

                @Override
                public Net controlNet(Path file) throws IOException {
                    return loadControlNet(file, sd, nets);
                }

                @Override
                public void close() {
                    try {
                        nets.close();
                    } finally {
                        sd.close();
                    }
                }
            };
        };
    }

    /** Loads the checkpoint of a generate command line, printing the same notes as {@code generate}. */
    static SdModel load(Args a, List<LoraSpec> loras, PrintStream err) {
        return GenerateCommand.load(a, loras, err);
    }

    /** Loads a ControlNet into {@code manager}, in the UNet's precision, checked against the UNet. */
    static Net loadControlNet(Path file, SdModel sd, NDManager manager) throws IOException {
        try (ControlNetCheckpoint ckpt = ControlNetCheckpoint.open(file)) {
            ckpt.validate();
            ControlNet net = ControlNet.load(ckpt, manager, sd.unet().compute());
            net.checkFits(sd.unet().config());
            return new Net(net, ckpt.infotextName());
        }
    }
}
