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
 * ({@code eps = u + cfg * (c - u)}; with composable {@code AND} parts [uncond, cond 1, ..., cond k] and
 * {@code eps = u + sum_i w_i * cfg * (c_i - u)}, A1111's {@code combine_denoised}), the context of each
 * call from the prompt schedule ({@link PromptContexts}), ControlNet residuals added, and for 9-channel inpainting models
 * the mask and masked-image latents concatenated to the input. Samplers know none of this.
 */
final class CfgDenoiser implements EpsModel {
    private final Unet unet;
    private final PromptContexts contexts;
    private final double cfg;
    private final List<ControlSource> controls;
    private final NDArray inpaintExtra;
    private final int steps;
    private final boolean guided;
    private final Tap tap;

    /**
     * @param contexts the text conditioning of every call (and whether it is guided)
     * @param inpaintExtra [B, 5, h, w] (mask + masked-image latents) for 9-channel models, else null;
     *     concatenated after the (CFG-doubled) latents as diffusers does
     */
    CfgDenoiser(Unet unet, PromptContexts contexts, double cfg, List<ControlSource> controls,
            NDArray inpaintExtra, int steps, Tap tap) {
        this.tap = tap;
        this.unet = unet;
        this.contexts = contexts;
        this.cfg = cfg;
        this.guided = contexts.guided();
        this.controls = controls;
        this.inpaintExtra = inpaintExtra;
        this.steps = steps;
    }

    @Override
    public NDArray eps(NDArray modelInput, float timestep, int stepIndex) {
        long b = modelInput.getShape().get(0);
        int copies = contexts.parts() + (guided ? 1 : 0);
        NDArray context = tap.tensor("context_call" + stepIndex, contexts.context(stepIndex));
        NDArray latentIn = copies(modelInput, copies);
        NDArray in = latentIn;
        if (inpaintExtra != null) {
            in = NDArrays.concat(new NDList(latentIn, copies(inpaintExtra, copies)), 1);
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
        if (!guided && contexts.single()) {
            return out;
        }
        if (contexts.single()) {
            NDArray u = out.get("0:" + b);
            NDArray c = out.get(b + ":");
            return u.add(c.sub(u).mul((float) cfg));
        }
        // composable diffusion (A1111's combine_denoised, on eps: the same linear combination)
        NDArray u = out.get("0:" + b);
        NDArray e = u;
        for (int i = 0; i < contexts.parts(); i++) {
            NDArray c = out.get((i + 1) * b + ":" + (i + 2) * b);
            e = e.add(c.sub(u).mul((float) (contexts.weight(i) * cfg)));
        }
        return e;
    }

    private static NDArray copies(NDArray x, int n) {
        if (n == 1) {
            return x;
        }
        NDList l = new NDList();
        for (int i = 0; i < n; i++) {
            l.add(x);
        }
        return NDArrays.concat(l, 0);
    }
}
