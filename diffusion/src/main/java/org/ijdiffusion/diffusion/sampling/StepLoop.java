package org.ijdiffusion.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Function;

/**
 * The sampling loop shared by all samplers: per step scale the input, ask the model, update, call the
 * hook. Every step runs in its own {@link NDScope}, so temporaries (including the model's) are freed at
 * the end of the step; only the latents and the stepper's history carry over.
 */
final class StepLoop implements Sampler {
    private final Function<Schedule, Stepper> stepperFactory;

    StepLoop(Function<Schedule, Stepper> stepperFactory) {
        this.stepperFactory = stepperFactory;
    }

    @Override
    public NDArray sample(EpsModel model, NDArray x, Schedule schedule, NoiseSource noise, StepHook hook) {
        NDArray cur = x;
        int steps = schedule.steps();
        try (Stepper stepper = stepperFactory.apply(schedule)) {
            for (int i = 0; i < steps; i++) {
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    NDArray before = cur;
                    int step = i;
                    NDArray in = schedule.scaleInput(cur, i);
                    NDArray eps = model.eps(in, schedule.timestep(i), i);
                    next = stepper.step(eps, i, cur, noise);
                    if (hook != null) {
                        next = hook.afterStep(i, steps, next, () -> schedule.predictedClean(before, eps, step));
                    }
                    NDScope.unregister(next);
                }
                if (cur != x && cur != next) {
                    cur.close();
                }
                cur = next;
            }
        } catch (RuntimeException | Error e) {
            if (cur != x) {
                cur.close();
            }
            throw e;
        }
        if (cur != x) {
            NDScope.register(cur); // belongs to the caller's scope, if any
        }
        return cur;
    }

    /** A copy of {@code a} that survives the current step's scope (multistep history). */
    static NDArray keep(NDArray a) {
        NDArray d = a.duplicate();
        NDScope.unregister(d);
        return d;
    }

    static float sqrt(float v) {
        return (float) Math.sqrt(v);
    }
}
