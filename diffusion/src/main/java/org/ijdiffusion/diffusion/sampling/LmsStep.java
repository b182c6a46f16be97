package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Linear multistep of order 4 on the ODE derivative (diffusers LMSDiscreteScheduler). The order at a
 * step is min(position in the full schedule + 1, 4) and only the derivatives this run has seen are
 * used, as in diffusers (so an img2img run starts with one coefficient of a higher-order rule).
 */
final class LmsStep implements Stepper {
    static final int ORDER = 4;
    private final Schedule s;
    private final List<NDArray> derivatives = new ArrayList<>();

    LmsStep(Schedule s) {
        this.s = s;
    }

    @Override
    public NDArray step(NDArray eps, int i, NDArray x, NoiseSource noise) {
        float sigma = s.sigmaF(i);
        NDArray x0 = x.sub(eps.mul(sigma));
        NDArray derivative = x.sub(x0).div(sigma);
        derivatives.add(StepLoop.keep(derivative));
        if (derivatives.size() > ORDER) {
            derivatives.remove(0).close();
        }
        int t = s.absoluteIndex(i);
        int order = Math.min(t + 1, ORDER);
        NDArray sum = null;
        int n = Math.min(order, derivatives.size());
        for (int k = 0; k < n; k++) {
            float c = (float) coefficient(order, t, k);
            NDArray term = derivatives.get(derivatives.size() - 1 - k).mul(c);
            sum = sum == null ? term : sum.add(term);
        }
        return x.add(sum);
    }

    /**
     * The integral over [sigma_t, sigma_t+1] of the Lagrange basis polynomial of node sigma_(t-j) among
     * the nodes sigma_t .. sigma_(t-order+1). The integrand is a polynomial of degree below 4, so
     * 4-point Gauss-Legendre quadrature is exact (up to double rounding).
     */
    double coefficient(int order, int t, int j) {
        double a = s.sigmaAbs(t);
        double b = s.sigmaAbs(t + 1);
        double half = (b - a) / 2;
        double mid = (a + b) / 2;
        double sum = 0;
        for (int q = 0; q < GAUSS_X.length; q++) {
            sum += GAUSS_W[q] * basis(order, t, j, mid + half * GAUSS_X[q]);
        }
        return sum * half;
    }

    private double basis(int order, int t, int j, double tau) {
        double prod = 1.0;
        double node = s.sigmaAbs(t - j);
        for (int k = 0; k < order; k++) {
            if (k != j) {
                double other = s.sigmaAbs(t - k);
                prod *= (tau - other) / (node - other);
            }
        }
        return prod;
    }

    private static final double[] GAUSS_X;
    private static final double[] GAUSS_W;

    static {
        double u = Math.sqrt(3.0 / 7 - 2.0 / 7 * Math.sqrt(6.0 / 5));
        double v = Math.sqrt(3.0 / 7 + 2.0 / 7 * Math.sqrt(6.0 / 5));
        double wu = (18 + Math.sqrt(30)) / 36;
        double wv = (18 - Math.sqrt(30)) / 36;
        GAUSS_X = new double[] {-v, -u, u, v};
        GAUSS_W = new double[] {wv, wu, wu, wv};
    }

    @Override
    public void close() {
        derivatives.forEach(NDArray::close);
        derivatives.clear();
    }
}
