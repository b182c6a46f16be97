package org.ijdiffusion.plugin.ij;

import ij.Prefs;
import org.ijdiffusion.diffusion.nn.Precision;
import org.ijdiffusion.plugin.ij.core.PreviewSettings;
import org.ijdiffusion.plugin.ij.core.SuiteSettings;

/** The suite's settings in ImageJ's Prefs (IJ_Prefs.txt), and the thread count applied to the engine. */
public final class IjSettings {
    private IjSettings() {
    }

    public static SuiteSettings load() {
        return SuiteSettings.load(k -> Prefs.get(k, ""));
    }

    /** The live-preview settings (every N steps, keep the window). */
    public static PreviewSettings preview() {
        return PreviewSettings.load(k -> Prefs.get(k, ""));
    }

    public static void save(PreviewSettings p) {
        p.save(Prefs::set);
        Prefs.savePreferences();
    }

    public static void save(SuiteSettings s) {
        s.save(Prefs::set);
        Prefs.savePreferences();
        threads(s.threads());
    }

    /** The Prefs key of the compute precision (Diffusion Settings' and the macro's {@code precision}). */
    public static final String PRECISION = "precision";

    /** The saved precision (fp32 when unset or unknown). */
    public static Precision precision() {
        try {
            return Precision.fromLabel(Prefs.get(SuiteSettings.PREFIX + PRECISION, Precision.FP32.label()));
        } catch (IllegalArgumentException e) {
            return Precision.FP32;
        }
    }

    public static void savePrecision(Precision p) {
        Prefs.set(SuiteSettings.PREFIX + PRECISION, p.label());
        Prefs.savePreferences();
    }

    /**
     * The PyTorch thread count, read when the engine starts (so a change applies after a restart of
     * ImageJ if a generation already ran). 0 = PyTorch's default (all cores).
     */
    public static void threads(int n) {
        if (n > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
