package org.ijdiffusion.diffusion.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import ai.djl.ndarray.NDManager;

/**
 * Weights that alias a file mapping until their first use, then live in the engine's memory.
 *
 * <p>Loading maps a weight and wraps the mapping without copying (fast: nothing is read), and
 * registers the array here. The layer that uses it asks for {@link #resident} at each use: the first
 * time, the values are copied into engine memory, the alias is closed and its mapping released; from
 * then on the copy is used. Weights read once per denoising step must not stay file pages: a machine
 * that reclaims idle page cache (this project's measuring machine does so proactively, after ~30 s)
 * would read them from disk again at every step.
 */
public final class MappedArrays {
    private static final Map<NDArray, Entry> ENTRIES = new IdentityHashMap<>();
    /** The entries in the order they were registered (the order networks load their layers in). */
    private static final List<Entry> ORDER = new ArrayList<>();

    private MappedArrays() {
    }

    private static final class Entry {
        final Object owner;
        final List<NDArray> aliases = new ArrayList<>();
        final MappedByteBuffer mapping;
        final Function<NDManager, NDArray> reader;
        NDArray copy;

        Entry(Object owner, NDArray alias, MappedByteBuffer mapping, Function<NDManager, NDArray> reader) {
            this.owner = owner;
            this.aliases.add(alias);
            this.mapping = mapping;
            this.reader = reader;
        }
    }

    /**
     * Registers {@code alias}, which wraps {@code mapping} (of a file that {@code owner} stands for);
     * {@code reader} reads the same values from the file into a new array of a given manager (the copy
     * is read, never copied from the mapping: a truncated file must not fault in native code).
     */
    static synchronized void register(Object owner, NDArray alias, MappedByteBuffer mapping,
            Function<NDManager, NDArray> reader) {
        Entry e = new Entry(owner, alias, mapping, reader);
        ENTRIES.put(alias, e);
        ORDER.add(e);
    }

    /**
     * {@code view} (a reshape of the registered {@code alias}) replaces it as the array layers hold;
     * both are closed when the copy is made. Arrays that are not registered are left alone.
     */
    public static synchronized void replace(NDArray alias, NDArray view) {
        Entry e = ENTRIES.remove(alias);
        if (e != null) {
            e.aliases.add(view);
            ENTRIES.put(view, e);
        }
    }

    /**
     * The array to compute with: {@code a} itself unless it is a registered alias, else its copy in
     * engine memory (made now if this is the first use). Null stays null.
     */
    public static NDArray resident(NDArray a) {
        if (a == null) {
            return null;
        }
        synchronized (MappedArrays.class) {
            Entry e = ENTRIES.get(a);
            if (e == null) {
                return a;
            }
            makeCopy(e, a);
            return e.copy;
        }
    }

    /**
     * Reads the copy of {@code e} unless it exists, shaped as {@code a} (the array the layer holds), in
     * its manager (called holding the lock).
     */
    private static void makeCopy(Entry e, NDArray a) {
        if (e.copy != null) {
            return;
        }
        // the copy belongs with the weights: out of any step's NDScope, in the alias's manager
        NDArray read = e.reader.apply(a.getManager());
        NDArray copy = read.getShape().equals(a.getShape()) ? read : read.reshape(a.getShape());
        if (copy != read) {
            read.close();
        }
        NDScope.unregister(read);
        NDScope.unregister(copy);
        e.copy = copy;
        for (NDArray alias : e.aliases) {
            alias.close();
        }
        Unmapper.unmap(e.mapping);
        ORDER.remove(e);
    }

    /**
     * Makes the engine copies of {@code owners}' weights that are still mapped, in the order they were
     * registered, one at a time, until every one is made or {@code stop} says so: the reads that each
     * weight's first use would make, done ahead (by a background thread while the first step computes).
     * Returns how many copies were made. A read that fails (the file changed) ends the prefetch quietly:
     * the weight's own first use reads it again and reports the error where it belongs.
     */
    public static int prefetch(java.util.Collection<?> owners, java.util.function.BooleanSupplier stop) {
        int made = 0;
        while (!stop.getAsBoolean()) {
            synchronized (MappedArrays.class) {
                Entry next = null;
                for (Entry e : ORDER) {
                    if (e.copy == null && owners.contains(e.owner)) {
                        next = e;
                        break;
                    }
                }
                if (next == null) {
                    return made;
                }
                // the array layers hold: the last view that replaced the alias
                NDArray held = next.aliases.get(next.aliases.size() - 1);
                try {
                    makeCopy(next, held);
                } catch (RuntimeException failed) {
                    return made;
                }
                made++;
            }
        }
        return made;
    }

    /**
     * For a registered alias whose copy was never made: closes it (and its views) and releases its
     * mapping, with no copy into engine memory (the caller has converted the values into an array of
     * its own). Returns false, doing nothing, for any other array.
     */
    public static synchronized boolean release(NDArray a) {
        Entry e = a == null ? null : ENTRIES.get(a);
        if (e == null || e.copy != null) {
            return false;
        }
        for (NDArray alias : e.aliases) {
            ENTRIES.remove(alias);
            alias.close();
        }
        ORDER.remove(e);
        Unmapper.unmap(e.mapping);
        return true;
    }

    /** Whether {@code a} is a registered alias whose copy has not been made yet. */
    public static synchronized boolean isMapped(NDArray a) {
        Entry e = ENTRIES.get(a);
        return e != null && e.copy == null;
    }

    /**
     * Forgets the entries of {@code owner} (its file is closing): arrays already copied stay with their
     * managers; aliases not yet used keep their mappings until they are garbage.
     */
    static synchronized void forget(Object owner) {
        ENTRIES.values().removeIf(e -> e.owner == owner);
        ORDER.removeIf(e -> e.owner == owner);
    }
}
