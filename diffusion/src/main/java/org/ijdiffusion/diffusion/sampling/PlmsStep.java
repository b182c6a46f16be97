package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * PNDM with skip_prk_steps (PLMS), as diffusers' PNDMScheduler.step_plms: the first two calls both
 * step from the first timestep (the second averages the two eps, from the saved first sample), then
 * linear multistep of growing order up to 4 on the eps history.
 */
final class PlmsStep implements Stepper {
    private final Schedule s;
    private final List<NDArray> ets = new ArrayList<>();
    private NDArray firstSample;
    private int counter;

    PlmsStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        int ratio = s.stepRatio();
        int t = (int) s.timestep(i);
        int prevT = t - ratio;
        if (counter != 1) {
            while (ets.size() > 3) {
                ets.remove(0).close();
            }
            ets.add(StepLoop.keep(eps));
        } else {
            prevT = t;
            t = t + ratio;
        }
        NDArray sample = x;
        NDArray e;
        int n = ets.size();
        if (n == 1 && counter == 0) {
            e = eps;
            firstSample = StepLoop.keep(x);
        } else if (n == 1 && counter == 1) {
            e = eps.add(ets.get(0)).div(2f);
            sample = firstSample;
        } else if (n == 2) {
            e = ets.get(1).mul(3f).sub(ets.get(0)).div(2f);
        } else if (n == 3) {
            e = ets.get(2).mul(23f).sub(ets.get(1).mul(16f)).add(ets.get(0).mul(5f)).div(12f);
        } else {
            e = ets.get(3).mul(55f).sub(ets.get(2).mul(59f)).add(ets.get(1).mul(37f)).sub(ets.get(0).mul(9f))
                    .mul((float) (1.0 / 24));
        }
        NDArray prev = prevSample(sample, t, prevT, e);
        if (counter == 1 && firstSample != null) {
            firstSample.close();
            firstSample = null;
        }
        counter++;
        return prev;
    }

    private NDArray prevSample(NDArray sample, int t, int prevT, NDArray e) {
        float a = s.alphaCumprod(t);
        float aPrev = s.alphaCumprod(prevT);
        float b = 1f - a;
        float bPrev = 1f - aPrev;
        float sampleCoeff = StepLoop.sqrt(aPrev / a);
        float denom = a * StepLoop.sqrt(bPrev) + StepLoop.sqrt(a * b * aPrev);
        return sample.mul(sampleCoeff).sub(e.mul(aPrev - a).div(denom));
    }

    @Override
    public void close() {
        ets.forEach(NDArray::close);
        ets.clear();
        if (firstSample != null) {
            firstSample.close();
        }
    }
}
