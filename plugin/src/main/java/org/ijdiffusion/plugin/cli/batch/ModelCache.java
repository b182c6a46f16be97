package org.ijdiffusion.plugin.cli.batch;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ijdiffusion.diffusion.lora.LoraSpec;
import org.ijdiffusion.diffusion.pipeline.SdModel;
import org.ijdiffusion.plugin.cli.Args;
import org.ijdiffusion.plugin.cli.ModelSource;

/**
 * The weights of a batch: one model at a time, kept while the jobs ask for the same model file, VAE,
 * LoRA set, precision, TAESD and embeddings folder; a job with another one releases it and loads
 * that. ControlNets are kept with the model they were loaded for, by file.
 */
final class ModelCache implements ModelSource, AutoCloseable {
    private record Key(String model, String vae, List<LoraSpec> loras, String precision, String taesd,
            String embeddings) {
    }

    private Key key;
    private SdModel sd;
    private NDManager nets;
    private final Map<Path, Net> controlNets = new HashMap<>();
    private int loads;

    @Override
    public Lease open(Args a, List<LoraSpec> loras, PrintStream err) {
        Key k = new Key(abs(a.get("model")), abs(a.get("vae")), List.copyOf(loras), a.get("precision", "fp32"),
                abs(a.get("taesd")), abs(a.get("embeddings-dir")));
        if (!k.equals(key)) {
            close();
            sd = ModelSource.load(a, loras, err);
            nets = sd.manager().newSubManager();
            key = k;
            loads++;
        }
        SdModel model = sd;
        return new Lease() {
            @Override
            public SdModel model() {
                return model;
            }

            @Override
            public Net controlNet(Path file) throws IOException {
                Path p = file.toAbsolutePath().normalize();
                Net n = controlNets.get(p);
                if (n == null) {
                    n = ModelSource.loadControlNet(p, model, nets);
                    controlNets.put(p, n);
                }
                return n;
            }

            @Override
            public void close() {
                // kept for the next job
            }
        };
    }

    /** How many times a model was loaded. */
    int loads() {
        return loads;
    }

    private static String abs(String p) {
        return p == null ? null : Path.of(p).toAbsolutePath().normalize().toString();
    }

    @Override
    public void close() {
        controlNets.clear();
        key = null;
        try {
            if (nets != null) {
                nets.close();
            }
        } finally {
            nets = null;
            if (sd != null) {
                sd.close();
            }
            sd = null;
        }
    }
}
