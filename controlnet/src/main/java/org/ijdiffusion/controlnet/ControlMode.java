package org.ijdiffusion.controlnet;

import org.ijdiffusion.diffusion.util.NamedChoice;
import java.util.Locale;

/**
 * A1111 / sd-webui-controlnet control modes. Their rule, as sd-webui-controlnet sets it
 * ({@code scripts/controlnet.py}: {@code soft_injection = mode != BALANCED},
 * {@code cfg_injection = mode == CONTROL}; applied in {@code scripts/hook.py}): soft injection scales
 * residual i of 13 by {@code weight * 0.825^(12-i)}; CFG injection multiplies the residuals of the
 * unconditional half of the CFG batch by 0 (its {@code uc_mask}), so the control acts on the
 * conditional prediction only.
 */
public enum ControlMode implements NamedChoice {
    BALANCED("balanced", "Balanced", false, false),
    PROMPT("prompt", "My prompt is more important", true, false),
    CONTROLNET("controlnet", "ControlNet is more important", true, true);

    private final String cliName;
    private final String label;
    private final boolean softInjection;
    private final boolean condOnly;

    ControlMode(String cliName, String label, boolean softInjection, boolean condOnly) {
        this.cliName = cliName;
        this.label = label;
        this.softInjection = softInjection;
        this.condOnly = condOnly;
    }

    @Override
    public String cliName() {
        return cliName;
    }

    @Override
    public String label() {
        return label;
    }

    /** Scale of residual {@code i} of {@code n} (the last one is the mid block's). */
    public double scale(double weight, int i, int n) {
        return softInjection ? weight * Math.pow(0.825, (n - 1) - i) : weight;
    }

    /** Whether the unconditional half of the CFG batch gets no control. */
    public boolean condOnly() {
        return condOnly;
    }

    public static ControlMode fromName(String s) {
        return NamedChoice.fromName(ControlMode.class, s, "control mode");
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
