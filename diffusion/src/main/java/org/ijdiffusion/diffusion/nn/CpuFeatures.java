package org.ijdiffusion.diffusion.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU's instruction-set flags as Linux reports them ({@code /proc/cpuinfo}, the first
 * {@code flags} line), for deciding whether bfloat16 compute is native here. The system property
 * {@code ijd.cpuflags} (space-separated flags) replaces what the system reports: for tests of the
 * refusal path.
 */
public final class CpuFeatures {
    /** Property that replaces the reported flags (tests). */
    public static final String PROPERTY = "ijd.cpuflags";
    /** AVX-512 with bfloat16 dot products (oneDNN's bf16 kernels on Cooper Lake, Zen 4 and later). */
    static final String AVX512_BF16 = "avx512_bf16";
    /** Intel AMX tiles with bfloat16 (Sapphire Rapids and later). */
    static final String AMX_BF16 = "amx_bf16";

    private final Set<String> flags;
    private final String source;

    CpuFeatures(Set<String> flags, String source) {
        this.flags = Set.copyOf(flags);
        this.source = source;
    }

    /** The flags of this machine (or of {@link #PROPERTY} when set). */
    public static CpuFeatures current() {
        String override = System.getProperty(PROPERTY);
        if (override != null) {
            return new CpuFeatures(split(override), "-D" + PROPERTY);
        }
        Path info = Path.of("/proc/cpuinfo");
        try {
            for (String line : Files.readAllLines(info)) {
                if (line.startsWith("flags") && line.indexOf(':') > 0) {
                    return new CpuFeatures(split(line.substring(line.indexOf(':') + 1)), info.toString());
                }
            }
            return new CpuFeatures(Set.of(), info + " (no flags line)");
        } catch (IOException | SecurityException e) {
            return new CpuFeatures(Set.of(), "no readable /proc/cpuinfo (" + System.getProperty("os.name") + ")");
        }
    }

    private static Set<String> split(String s) {
        Set<String> out = new TreeSet<>(Arrays.asList(s.trim().split("\\s+")));
        out.remove("");
        return out;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** AVX512-BF16 or AMX-BF16. */
    public boolean hasNativeBf16() {
        return has(AVX512_BF16) || has(AMX_BF16);
    }

    /** Which bfloat16 flags this CPU has, for reports, e.g. "avx512_bf16 (no amx_bf16)". */
    public String bf16Summary() {
        if (!hasNativeBf16()) {
            return "none (" + bf16Missing() + ")";
        }
        return (has(AVX512_BF16) ? AVX512_BF16 : "no " + AVX512_BF16) + ", "
                + (has(AMX_BF16) ? AMX_BF16 : "no " + AMX_BF16);
    }

    /** The sentence naming the missing flags, e.g. "the flags avx512_bf16 and amx_bf16 are missing from ...". */
    String bf16Missing() {
        return "neither " + AVX512_BF16 + " nor " + AMX_BF16 + " is among the CPU flags (" + source + ")";
    }
}
