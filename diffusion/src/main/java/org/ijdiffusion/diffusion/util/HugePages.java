package org.ijdiffusion.diffusion.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Asks libtorch to back its large CPU tensors with transparent huge pages (its
 * {@code THP_MEM_ALLOC_ENABLE} setting: 2 MB alignment and {@code madvise(MADV_HUGEPAGE)} for
 * allocations of 2 MB and more).
 *
 * <p>Why: every layer of the networks writes fresh arrays of 10-130 MB, and the allocator returns
 * them to the system when they are freed, so each is faulted in again, 4 KB at a time. On this
 * project's measuring machine (virtualised) a first touch costs about 0.4 ms per MB with 4 KB pages
 * and 0.07 ms per MB with huge pages: at 512x512 the VAE decode and the per-step upcast of the F16
 * UNet weights were dominated by it.
 *
 * <p>libtorch reads the setting once, at its first allocation, from the process environment; Java
 * cannot set an environment variable, so this calls the C library's {@code setenv} (through JNA,
 * which DJL already brings). {@link #enable()} must run before the engine allocates its first tensor
 * to have an effect; later it does nothing harmful. A value the user has set (e.g. 0) is kept. Linux
 * only (elsewhere a no-op).
 */
public final class HugePages {
    /** libtorch's environment variable. */
    public static final String VARIABLE = "THP_MEM_ALLOC_ENABLE";

    private static boolean done;

    private HugePages() {
    }

    private interface C extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** Sets {@value #VARIABLE}=1 in this process's environment unless it is set already. */
    public static synchronized void enable() {
        if (done) {
            return;
        }
        done = true;
        if (!Platform.isLinux() || System.getenv(VARIABLE) != null) {
            return;
        }
        try {
            Native.load("c", C.class).setenv(VARIABLE, "1", 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // a speed setting only: the engine works the same without it
        }
    }
}
