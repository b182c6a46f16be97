package org.ijdiffusion.plugin.scijava;

import java.awt.image.BufferedImage;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;

/**
 * The parameters and outputs every SciJava diffusion command shares (A1111's names); subclasses add
 * their own inputs (size, input image, mask) and call {@link Jobs}.
 */
abstract class DiffusionCommand implements Command {
    @Parameter(label = "model", description = "SD1.x checkpoint (.safetensors) or diffusers folder", style = "files,directories")
    File model;

    @Parameter(label = "prompt", persist = false)
    String prompt = "";

    @Parameter(label = "negative_prompt", required = false, persist = false)
    String negative_prompt = "";

    @Parameter(label = "steps", min = "1", max = "1000")
    int steps = 20;

    @Parameter(label = "cfg_scale", min = "0", max = "100")
    double cfg_scale = 7;

    @Parameter(label = "sampler", choices = {"DDIM", "PLMS", "Euler", "Euler a", "LMS", "DPM++ 2M", "DPM++ 2M Karras",
        "LCM", "TCD"})
    String sampler = "Euler a";

    /**
     * A1111's "Schedule type": Automatic (each sampler's own spacing) or SGM Uniform (diffusers' trailing
     * spacing, for Hyper-SD / Lightning LoRAs; DDIM, Euler, Euler a, LMS, DPM++ 2M). The command-line
     * names default / trailing are accepted too. Same key as the ImageJ 1 dialogs.
     */
    @Parameter(label = "schedule_type", choices = {"Automatic", "SGM Uniform"}, required = false)
    String schedule_type = "Automatic";

    /** DDIM's eta or TCD's gamma in [0, 1]; -1 = the sampler's default (DDIM 0, TCD 0.3). Other samplers refuse one. */
    @Parameter(label = "eta", min = "-1", max = "1", stepSize = "0.05", required = false)
    double eta = -1;

    /** -1 = random; not remembered, so a run never silently repeats an old seed. */
    @Parameter(label = "seed", min = "-1", max = "4294967295", persist = false)
    long seed = -1;

    @Parameter(label = "clip_skip", min = "1", max = "12")
    int clip_skip = 1;

    @Parameter(type = ItemIO.OUTPUT)
    BufferedImage image;

    @Parameter(type = ItemIO.OUTPUT, label = "parameters")
    String parameters;

    @Parameter(type = ItemIO.OUTPUT, label = "seed used")
    long seed_used;

    /** Sets the outputs from a job's result. */
    void output(Jobs.Result r) {
        image = r.image();
        parameters = r.parameters();
        seed_used = r.seed();
    }
}
