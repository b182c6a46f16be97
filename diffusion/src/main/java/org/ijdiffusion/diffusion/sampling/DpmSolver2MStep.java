package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;

/**
 * DPM-Solver++(2M) (diffusers DPMSolverMultistepScheduler: dpmsolver++, order 2, midpoint, epsilon
 * prediction, final sigma 0 with a first-order last step). Works on the data prediction x0 with
 * alpha_t = 1 / sqrt(sigma^2 + 1), sigma_t = sigma * alpha_t and lambda = log(alpha_t / sigma_t).
 */
final class DpmSolver2MStep implements Stepper {
    private final Schedule s;
    private NDArray previousX0;
    private int lowerOrderNums;

    DpmSolver2MStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        float sigma = s.sigmaF(i);
        float alpha = alpha(sigma);
        NDArray x0 = x.sub(eps.mul(sigma * alpha)).div(alpha);
        boolean last = i == s.steps() - 1;
        float at = alpha(s.sigmaF(i + 1));
        float st = s.sigmaF(i + 1) * at;
        float as0 = alpha;
        float ss0 = sigma * alpha;
        float h = lambda(at, st) - lambda(as0, ss0);
        float coef = at * ((float) Math.exp(-h) - 1f);
        NDArray prev;
        if (lowerOrderNums < 1 || last) {
            prev = x.mul(st / ss0).sub(x0.mul(coef));
        } else {
            float as1 = alpha(s.sigmaF(i - 1));
            float ss1 = s.sigmaF(i - 1) * as1;
            float h0 = lambda(as0, ss0) - lambda(as1, ss1);
            float r0 = h0 / h;
            NDArray d1 = x0.sub(previousX0).mul(1f / r0);
            prev = x.mul(st / ss0).sub(x0.mul(coef)).sub(d1.mul(0.5f * coef));
        }
        if (previousX0 != null) {
            previousX0.close();
        }
        previousX0 = StepLoop.keep(x0);
        if (lowerOrderNums < 2) {
            lowerOrderNums++;
        }
        return prev;
    }

    private static float alpha(float sigma) {
        return 1f / StepLoop.sqrt(sigma * sigma + 1f);
    }

    private static float lambda(float alpha, float sigma) {
        return (float) Math.log(alpha) - (float) Math.log(sigma);
    }

    @Override
    public void close() {
        if (previousX0 != null) {
            previousX0.close();
        }
    }
}
