package org.ijdiffusion.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import org.ijdiffusion.diffusion.io.FiniteCheck;
import org.ijdiffusion.diffusion.nn.unet.Unet;
import org.ijdiffusion.diffusion.sampling.EpsModel;

/**
 * The UNet as the samplers see it: classifier-free guidance over the batch [uncond..., cond...]
 * ({@code eps = u + cfg * (c - u)}), ControlNet residuals added, and for 9-channel inpainting models
 * the mask and masked-image latents concatenated to the input. Samplers know none of this.
 */
final class CfgDenoiser implements EpsModel {
    private final Unet unet;
    private final NDArray context;
    private final double cfg;
    private final List<ControlSource> controls;
    private final NDArray inpaintExtra;
    private final int steps;
    private final boolean guided;
    private final Tap tap;

    /**
     * @param context [2B, L, D] (uncond first) when guided, else [B, L, D] (cond only)
     * @param inpaintExtra [B, 5, h, w] (mask + masked-image latents) for 9-channel models, else null;
     *     concatenated after the (CFG-doubled) latents as diffusers does
     */
    CfgDenoiser(Unet unet, NDArray context, double cfg, boolean guided, List<ControlSource> controls,
            NDArray inpaintExtra, int steps, Tap tap) {
        this.tap = tap;
        this.unet = unet;
        this.context = context;
        this.cfg = cfg;
        this.guided = guided;
        this.controls = controls;
        this.inpaintExtra = inpaintExtra;
        this.steps = steps;
    }

    @Override
    public NDArray eps(NDArray modelInput, float timestep, int stepIndex) {
        long b = modelInput.getShape().get(0);
        NDArray latentIn = guided ? NDArrays.concat(new NDList(modelInput, modelInput), 0) : modelInput;
        NDArray in = latentIn;
        if (inpaintExtra != null) {
            NDArray extra = guided ? NDArrays.concat(new NDList(inpaintExtra, inpaintExtra), 0) : inpaintExtra;
            in = NDArrays.concat(new NDList(latentIn, extra), 1);
        }
        List<NDArray> down = null;
        NDArray mid = null;
        for (ControlSource c : controls) {
            // a ControlNet sees the latent channels only (also with 9-channel inpainting models)
            NDList r = c.residuals(latentIn, timestep, context, guided ? (int) b : 0, stepIndex, steps);
            if (r == null) {
                continue;
            }
            if (down == null) {
                down = new ArrayList<>(r.subNDList(0, r.size() - 1));
                mid = r.get(r.size() - 1);
            } else {
                for (int i = 0; i < down.size(); i++) {
                    down.set(i, down.get(i).add(r.get(i)));
                }
                mid = mid.add(r.get(r.size() - 1));
            }
        }
        NDArray out = unet.forward(in, timestep, context, down, mid);
        if (!FiniteCheck.allFinite(out)) {
            throw new NonFiniteOutputException(stepIndex, steps);
        }
        tap.tensor("unet_in_step" + stepIndex, in); // every call (tests count the calls and their batch)
        tap.tensor("unet_out_step" + stepIndex, out);
        if (!guided) {
            return out;
        }
        NDArray u = out.get("0:" + b);
        NDArray c = out.get(b + ":");
        return u.add(c.sub(u).mul((float) cfg));
    }
}
