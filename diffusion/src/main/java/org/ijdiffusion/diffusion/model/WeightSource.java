package org.ijdiffusion.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.ijdiffusion.diffusion.io.ModelFileException;

/**
 * The weights of one component (UNet, VAE, text encoder, ControlNet), named in the project's one
 * key vocabulary: the LDM single-file names with the component prefix removed, e.g.
 * {@code input_blocks.1.0.in_layers.0.weight} for the UNet, {@code encoder.down.0.block.0.conv1.weight}
 * for the VAE, {@code text_model.encoder.layers.0.mlp.fc1.weight} for the text encoder.
 * Other layouts (diffusers folders) are translated into these names by one table-driven converter.
 */
public interface WeightSource {
    /** Every name this source can load. */
    Set<String> names();

    default boolean has(String name) {
        return names().contains(name);
    }

    /** Shape of a tensor as the networks expect it (after any layout conversion). */
    long[] shape(String name);

    /** Loads a tensor as float32 into {@code manager}. The result must not be modified in place. */
    NDArray load(String name, NDManager manager);

    /**
     * Loads a tensor as float32, or as float16 when it is stored so (then aliasing the file's mapping:
     * half the memory, and the layers upcast at use). The result must not be modified in place.
     * Sources that convert or merge weights load float32.
     */
    default NDArray loadCompact(String name, NDManager manager) {
        return load(name, manager);
    }

    /** Where these weights come from, for messages (a file path, a folder). */
    String origin();

    /** Whether any name starts with {@code prefix} (e.g. a module "input_blocks.1.1."). */
    default boolean hasUnder(String prefix) {
        for (String name : names()) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shape of the first of {@code names} present, which must have at least {@code minDims}
     * dimensions: for a size that several tensors carry, so that one missing tensor does not hide the
     * architecture (it is then reported as missing, and named by the loader).
     *
     * @throws ModelFileException naming the first tensor when none is present
     */
    default long[] firstShape(int minDims, String network, String... names) {
        for (String name : names) {
            if (has(name)) {
                long[] s = shape(name);
                if (s.length < minDims) {
                    throw new ModelFileException("Tensor '" + name + "' in " + origin() + " has shape "
                            + Arrays.toString(s) + ", expected at least " + minDims + " dimensions. These weights are not "
                            + network + ".");
                }
                return s;
            }
        }
        return requireShape(names[0], -1, network);
    }

    /**
     * The numbers N of the names {@code prefix + N + "." + ...} in ascending order: the numbered
     * children of a module, e.g. {@code indices("input_blocks.")} or {@code indices("encoder.down.0.block.")}.
     */
    default SortedSet<Integer> indices(String prefix) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String name : names()) {
            int dot = name.indexOf('.', prefix.length());
            if (name.startsWith(prefix) && dot > prefix.length()) {
                try {
                    out.add(Integer.parseInt(name.substring(prefix.length(), dot)));
                } catch (NumberFormatException ignored) {
                    // a named, not numbered, child
                }
            }
        }
        return out;
    }

    /**
     * The shape of a tensor that must be present with {@code rank} dimensions (any rank when negative),
     * for reading a network's sizes from its weights. {@code network} completes the message "these
     * weights are not ..." (e.g. "a Stable Diffusion UNet").
     *
     * @throws ModelFileException naming the tensor when it is absent or of another rank
     */
    default long[] requireShape(String name, int rank, String network) {
        if (!has(name)) {
            throw new ModelFileException("Tensor '" + name + "' is missing from " + origin() + ". These weights are not "
                    + network + " (or are incomplete).");
        }
        long[] s = shape(name);
        if (rank >= 0 && s.length != rank) {
            throw new ModelFileException("Tensor '" + name + "' in " + origin() + " has shape " + Arrays.toString(s)
                    + ", expected " + rank + " dimensions. These weights are not " + network + ".");
        }
        return s;
    }
}
